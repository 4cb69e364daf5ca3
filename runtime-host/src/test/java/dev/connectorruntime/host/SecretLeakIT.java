package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ExecutionResult;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets and access tokens never appear in a log line, an error or an output: a run through
 * successes, upstream errors, auth failures, refreshes and faults is captured and scanned for every
 * secret of the connection and every token the sandbox issued.
 */
class SecretLeakIT {

    @Test
    void noSecretOrTokenInLogsErrorsOrOutputs() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        List<String> shown = new ArrayList<>();
        Set<String> secrets;
        JsonNode tokens;
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
        try (TestHost test = TestHost.start()) {
            ObjectNode connection = test.connection();
            secrets = Set.of(connection.at("/secrets/app").asText(), connection.at("/secrets/contact").asText(),
                    "sandbox-externalcontact-secret", "sandbox-school-secret",
                    "wrong-secret-value-7731");
            ObjectNode wrong = connection.deepCopy();
            wrong.put("name", "wrong");
            ((ObjectNode) wrong.get("secrets")).put("app", "wrong-secret-value-7731");
            test.host.addConnection(wrong);

            List<ExecutionResult> results = new ArrayList<>();
            results.add(test.execute("user_get", "{\"userid\": \"zhangsan\"}"));
            results.add(test.execute("user_get", "{\"userid\": \"nobody\"}"));
            results.add(test.execute("user_get", "{\"userid\": \"\"}"));
            results.add(test.host.execute("user_get", TestHost.json("{\"userid\": \"zhangsan\"}"), ExecuteOptions.DEFAULTS.withConnection("wrong")));
            test.revokeTokens();
            results.add(test.execute("tag_create", "{\"tagname\": \"泄漏检查\"}"));
            test.fault("{\"path\": \"/cgi-bin/user/get\", \"kind\": \"revoke_token\", \"times\": 2}");
            results.add(test.execute("user_get", "{\"userid\": \"zhangsan\"}"));
            test.fault("{\"path\": \"/cgi-bin/tag/create\", \"kind\": \"drop_after\", \"times\": 1}");
            results.add(test.execute("tag_create", "{\"tagname\": \"泄漏检查2\"}"));
            results.add(test.execute("wecom_api_call", "{\"method\": \"GET\", \"path\": \"/cgi-bin/gettoken\", \"query\": {\"corpid\": \"x\"}}"));
            test.host.testConnection("wrong").forEach(c -> shown.add(String.valueOf(c)));
            for (ExecutionResult result : results) {
                shown.add(result instanceof ExecutionResult.Failure f ? ErrorJson.of(f.error()).toString() + f.error()
                        : ((ExecutionResult.Success) result).output().toString());
            }
            tokens = test.admin.tokens();
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        assertTrue(tokens.size() >= 3, "the run issued and refreshed tokens: " + tokens.size());
        String everything = captured.toString(StandardCharsets.UTF_8) + String.join("\n", shown);
        assertTrue(everything.contains("call action=user_get"), "the call log was captured");
        for (String secret : secrets) {
            assertFalse(everything.contains(secret), "a secret leaked");
        }
        for (JsonNode token : tokens) {
            assertFalse(everything.contains(token.asText()), "an access token leaked");
        }
        assertEquals(-1, everything.indexOf("access_token="), "no URL with a token");
    }

    /**
     * The same at {@code RUNTIME_LOG_LEVEL=debug} and {@code trace}, through the CLI as an operator runs it:
     * the libraries' own debug loggers (HttpClient's headers and wire, Lettuce, Jetty) print nothing secret.
     */
    @Test
    void noSecretOrTokenInLogsAtDebugAndTrace() throws Exception {
        try (TestHost test = TestHost.start()) {
            ObjectNode connection = test.connection();
            ObjectNode wrong = connection.deepCopy();
            ((ObjectNode) wrong.get("secrets")).put("app", "wrong-secret-value-7731");
            Path dir = Files.createTempDirectory("leak");
            Path good = Files.writeString(dir.resolve("good.json"), connection.toString());
            Path bad = Files.writeString(dir.resolve("bad.json"), wrong.toString());
            StringBuilder everything = new StringBuilder();
            for (String level : List.of("debug", "trace")) {
                everything.append(cli(test, level, "{\"userid\": \"zhangsan\"}", "execute", "user_get", "--input", "-", "--connection", good.toString()));
                everything.append(cli(test, level, "{\"tagname\": \"调试泄漏\"}", "execute", "tag_create", "--input", "-", "--connection", good.toString()));
                everything.append(cli(test, level, "{\"userid\": \"zhangsan\"}", "execute", "user_get", "--input", "-", "--connection", bad.toString()));
                everything.append(cli(test, level, null, "test-connection", "--connection", good.toString()));
            }
            JsonNode tokens = test.admin.tokens();
            String text = everything.toString();
            assertTrue(text.contains("DEBUG"), "debug logging was on");
            assertTrue(tokens.size() >= 2, "tokens were issued: " + tokens);
            for (String secret : List.of(connection.at("/secrets/app").asText(), connection.at("/secrets/contact").asText(), "wrong-secret-value-7731")) {
                assertFalse(text.contains(secret), "a secret leaked at debug");
            }
            for (JsonNode token : tokens) {
                assertFalse(text.contains(token.asText()), "an access token leaked at debug");
            }
            assertEquals(-1, text.indexOf("access_token="), "no URL with a token");
            assertEquals(-1, text.indexOf("corpsecret="), "no URL with a secret");
        }
    }

    private static String cli(TestHost test, String level, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ServeProcess.launcher().toString(), "--plugins", test.pluginsDir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_") || k.startsWith("RUNTIME_"));
        builder.environment().put("RUNTIME_LOG_LEVEL", level);
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    /** Writes to the original stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
