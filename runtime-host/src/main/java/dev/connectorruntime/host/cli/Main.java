package dev.connectorruntime.host.cli;

import java.util.List;
import picocli.CommandLine;

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
        return new CommandLine(new RootCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }
}
