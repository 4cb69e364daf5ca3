package dev.connectorruntime.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code runtime-host serve} from the distribution, in its own JVM, as an operator starts and stops it. */
final class ServeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("on http://[^:]+:(\\d+)/");

    final Process process;
    final int port;
    final StringBuffer output = new StringBuffer();

    private ServeProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Path launcher() {
        return Path.of(System.getProperty("runtime.dist", "target/dist"), "bin", "runtime-host");
    }

    /** Starts serve with the arguments and waits for its "Serving ..." line. */
    static ServeProcess start(Path pluginsDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher().toString(), "--plugins", pluginsDir.toString(), "serve", "--port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_") || k.startsWith("RUNTIME_"));
        builder.environment().put("RUNTIME_DATA_DIR", dataDir());
        builder.environment().putAll(env);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher serving = SERVING.matcher(line);
            if (line.startsWith("Serving") && serving.find()) {
                ServeProcess serve = new ServeProcess(process, Integer.parseInt(serving.group(1)));
                serve.output.append(seen);
                Thread drainer = new Thread(() -> {
                    try {
                        String more;
                        while ((more = out.readLine()) != null) {
                            serve.output.append(more).append('\n');
                        }
                    } catch (IOException e) {
                        // process gone
                    }
                });
                drainer.setDaemon(true);
                drainer.start();
                return serve;
            }
        }
        throw new IllegalStateException("serve did not start: " + seen);
    }

    /** Runs serve expecting it to refuse to start; answers its exit code and output. */
    static CliIT.Run refused(Path pluginsDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher().toString(), "--plugins", pluginsDir.toString(), "serve", "--port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_") || k.startsWith("RUNTIME_"));
        builder.environment().put("RUNTIME_DATA_DIR", dataDir());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("serve started instead of refusing: " + out);
        }
        return new CliIT.Run(process.exitValue(), out, "");
    }

    private static String dataDir() throws IOException {
        return java.nio.file.Files.createTempDirectory("serve-data").toString();
    }

    /** SIGTERM, as a service manager or Kubernetes stops it. */
    void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
