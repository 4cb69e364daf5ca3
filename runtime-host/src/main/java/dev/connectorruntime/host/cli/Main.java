package dev.connectorruntime.host.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code runtime-host} launcher. */
public final class Main {
    /**
     * Libraries whose debug loggers print request lines, headers and bodies (corpsecret, access_token,
     * the Authorization header): they stay at info whatever RUNTIME_LOG_LEVEL says. Our own debug lines
     * never carry a secret.
     */
    private static final List<String> CHATTY_LIBRARIES = List.of("org.apache.hc", "io.lettuce", "io.netty", "reactor");

    private Main() {}

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            String level = System.getenv().getOrDefault("RUNTIME_LOG_LEVEL", "warn");
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
            if (level.equalsIgnoreCase("debug") || level.equalsIgnoreCase("trace")) {
                CHATTY_LIBRARIES.forEach(name -> System.setProperty("org.slf4j.simpleLogger.log." + name, "info"));
            }
        }
        System.exit(run(args));
    }

    /** Runs a command line; returns the exit code (0 success, 1 failure, 2 usage error). */
    public static int run(String... args) {
        CommandLine root = new CommandLine(new RootCommand());
        subcommandsFor(args).forEach(root::addSubcommand);
        return root.setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    /**
     * Only the subcommand the arguments name, when they name one; every subcommand otherwise (help, a
     * usage error). Picocli reads the options of every subcommand it is given by reflection before it
     * parses anything: for all of them that was a fifth of a short command's start-up.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        String previous = null;
        for (String arg : args) {
            if (!arg.startsWith("-") && (previous == null || !RootCommand.OPTIONS_WITH_VALUES.contains(previous))) {
                for (Class<?> subcommand : RootCommand.SUBCOMMANDS) {
                    if (subcommand.getAnnotation(Command.class).name().equals(arg)) {
                        return List.of(subcommand);
                    }
                }
                return RootCommand.SUBCOMMANDS;
            }
            previous = arg;
        }
        return RootCommand.SUBCOMMANDS;
    }
}
