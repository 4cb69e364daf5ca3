package dev.connectorruntime.host.cli;

import picocli.CommandLine;

/** Entry point of the {@code runtime-host} launcher. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getenv().getOrDefault("RUNTIME_LOG_LEVEL", "warn"));
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
