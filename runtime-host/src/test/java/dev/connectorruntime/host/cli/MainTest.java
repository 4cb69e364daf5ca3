package dev.connectorruntime.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void aNamedSubcommandIsTheOnlyOneRegistered() {
        assertEquals(List.of(ActionsCommand.class), Main.subcommandsFor("actions"));
        assertEquals(List.of(ServeCommand.class), Main.subcommandsFor("--plugins", "/opt/plugins", "serve", "--port", "0"));
        assertEquals(List.of(ExecuteCommand.class), Main.subcommandsFor("--plugins=/opt/plugins", "execute", "user_get"));
        assertEquals(List.of(ConnectionsCommand.class), Main.subcommandsFor("--data-dir", "d", "connections", "list"));
    }

    @Test
    void helpAndUnknownWordsGetEverySubcommand() {
        assertEquals(RootCommand.SUBCOMMANDS, Main.subcommandsFor());
        assertEquals(RootCommand.SUBCOMMANDS, Main.subcommandsFor("--help"));
        assertEquals(RootCommand.SUBCOMMANDS, Main.subcommandsFor("bogus"));
        // the value of a root option is not a subcommand name, even when it spells one
        assertEquals(RootCommand.SUBCOMMANDS, Main.subcommandsFor("--plugins", "serve"));
    }

    @Test
    void everySubcommandIsListedByHelpAndAnUnknownOneIsAUsageError() {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine root = new picocli.CommandLine(new RootCommand());
        Main.subcommandsFor("--help").forEach(root::addSubcommand);
        root.setOut(new java.io.PrintWriter(out));
        assertEquals(0, root.execute("--help"));
        for (Class<?> subcommand : RootCommand.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(picocli.CommandLine.Command.class).name();
            org.junit.jupiter.api.Assertions.assertTrue(out.toString().contains("  " + name + " "), name + " missing from help");
        }
        assertEquals(2, Main.run("bogus"));
    }
}
