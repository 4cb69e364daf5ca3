package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract, through the launcher that {@code ./mvnw package} builds, as an operator runs it. */
class CliIT {
    private static TestHost test;
    @TempDir
    static Path dir;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            return TestHost.json(out);
        }
    }

    @BeforeAll
    static void start() {
        test = TestHost.start();
    }

    @AfterAll
    static void stop() {
        test.close();
    }

    static Run cli(String stdin, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("runtime.dist", "target/dist"), "bin", "runtime-host");
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--plugins", test.pluginsDir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_"));
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), out, err);
    }

    @Test
    void demoRunsTheScenarioOnTheEmbeddedSandbox() throws Exception {
        Run run = cli(null, "demo");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("(department_create)") && run.out().contains("(message_send)")
                && run.out().contains("\"msgid\""), run.out());
        assertTrue(run.out().contains("All 10 steps succeeded."), run.out());
        assertTrue(run.out().contains("(listen: change_contact_create_user)") && run.out().contains("\"UserID\":\"zhaoliu\""), run.out());
    }

    @Test
    void actionsJsonListsEveryActionWithIdTitleAndCategory() throws Exception {
        Run run = cli(null, "actions", "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode list = run.json();
        assertEquals(test.host.actions().size(), list.size());
        for (JsonNode action : list) {
            assertFalse(action.path("id").asText().isEmpty());
            assertFalse(action.path("title").asText().isEmpty());
            assertFalse(action.path("category").asText().isEmpty());
        }
    }

    @Test
    void describePrintsTheDescriptorWithHttpAndBothSchemas() throws Exception {
        Run run = cli(null, "describe", "user_get");
        assertEquals(0, run.exit(), run.err());
        JsonNode descriptor = run.json();
        assertEquals("user_get", descriptor.get("id").asText());
        assertEquals("GET", descriptor.at("/http/method").asText());
        assertEquals("/cgi-bin/user/get", descriptor.at("/http/path").asText());
        assertEquals("object", descriptor.at("/input/type").asText());
        assertTrue(descriptor.at("/output/properties").has("errcode"));
        assertEquals(1, cli(null, "describe", "no_such_action").exit());
    }

    @Test
    void validateExitsZeroWhenValidAndOneWithFieldErrorsWhenNot() throws Exception {
        assertEquals(0, cli("{\"userid\": \"zhangsan\"}", "validate", "user_get", "--input", "-").exit());
        Run invalid = cli("{\"userid\": \"\", \"extra\": 1}", "validate", "user_get", "--input", "-");
        assertEquals(1, invalid.exit());
        JsonNode errors = invalid.json().at("/error/fieldErrors");
        assertEquals(2, errors.size(), invalid.out());
        assertTrue(invalid.out().contains("\"/userid\"") && invalid.out().contains("\"/extra\""), invalid.out());
        Run malformed = cli("{\"userid\": ", "validate", "user_get", "--input", "-");
        assertEquals(1, malformed.exit());
        assertEquals("INVALID_INPUT", malformed.json().at("/error/code").asText());
    }

    @Test
    void executePrintsTheOutputOrAStructuredError() throws Exception {
        Path connection = dir.resolve("connection.json");
        Files.writeString(connection, test.connection().toString());
        Path input = dir.resolve("input.json");
        Files.writeString(input, "{\"userid\": \"lisi\"}");
        Run ok = cli(null, "execute", "user_get", "--input", input.toString(), "--connection", connection.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertEquals("李四", ok.json().get("name").asText());

        Run upstream = cli("{\"userid\": \"nobody\"}", "execute", "user_get", "--input", "-", "--connection", connection.toString());
        assertEquals(1, upstream.exit());
        assertEquals("UPSTREAM_ERROR", upstream.json().at("/error/code").asText());
        assertEquals(60111, upstream.json().at("/error/errcode").asInt());
        assertFalse(upstream.json().at("/error/hint").asText().isEmpty());

        Run noConnection = cli("{\"userid\": \"lisi\"}", "execute", "user_get", "--input", "-");
        assertEquals(1, noConnection.exit());
        assertEquals("INVALID_CONNECTION", noConnection.json().at("/error/code").asText());
    }

    @Test
    void connectionsArePutListedShownAndDeletedInTheStore() throws Exception {
        Path data = dir.resolve("data");
        Path keys = dir.resolve("secret-keys");
        Files.writeString(keys, dev.connectorruntime.host.auth.SealingKeys.newKeyEntry("cli") + "\n");
        String[] dataDir = {"--data-dir", data.toString()};
        String[] store = {"--secret-keys-file", keys.toString()};
        ObjectNode acme = test.connection().put("name", "acme");
        String secret = acme.get("secrets").get("app").asText();

        Run put = cli(acme.toString(), concat(dataDir, new String[] {"connections"}, store, new String[] {"put", "-", "--test"}));
        assertEquals(0, put.exit(), put.out() + put.err());
        assertEquals("managed", put.json().get("source").asText());
        assertFalse(put.out().contains(secret), "never shows a secret");

        Run list = cli(null, concat(dataDir, new String[] {"connections"}, store, new String[] {"list"}));
        assertEquals("[\"acme\"]", list.json().toString(), "kept in the store: " + list.out() + list.err());
        Run get = cli(null, concat(dataDir, new String[] {"connections"}, store, new String[] {"get", "acme"}));
        assertEquals(0, get.exit());
        assertFalse(get.out().contains(secret));

        assertEquals(0, cli(null, concat(dataDir, new String[] {"connections"}, store, new String[] {"delete", "acme"})).exit());
        Run gone = cli(null, concat(dataDir, new String[] {"connections"}, store, new String[] {"get", "acme"}));
        assertEquals(1, gone.exit());
        assertEquals("INVALID_CONNECTION", gone.json().at("/error/code").asText());
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
