package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The CLI's trigger commands, through the packaged launcher: listing, describing, and listening to live callbacks. */
class TriggersCliIT {
    private static Process launch(Path dataDir, String... args) throws Exception {
        Path launcher = Path.of(System.getProperty("runtime.dist", "target/dist"), "bin", "runtime-host");
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "--plugins", TestHost.freshPluginsDir().toString(),
                "--data-dir", dataDir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_"));
        return builder.start();
    }

    private static String run(Path dataDir, String... args) throws Exception {
        Process process = launch(dataDir, args);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @Test
    void triggersAndDescribeTriggerPrintTheCatalogAndCreateNoData() throws Exception {
        Path dataDir = Files.createTempDirectory("cli-data").resolve("data");
        JsonNode list = TestHost.json(run(dataDir, "triggers", "--json"));
        assertEquals(46, list.size());
        list.forEach(t -> assertFalse(t.path("callbackKind").asText().isEmpty()));
        assertTrue(run(dataDir, "triggers").contains("sys_approval_change"));
        JsonNode described = TestHost.json(run(dataDir, "describe-trigger", "event_template_card_event"));
        assertEquals("template_card_event", described.at("/match/event").asText());
        assertTrue(described.at("/schema/properties/SelectedItems").isObject());
        assertFalse(Files.exists(dataDir), "listing commands leave no data behind");
    }

    @Test
    void listenPrintsEachNewEventOfItsTriggerAsAJsonLine() throws Exception {
        Path dir = Files.createTempDirectory("listen");
        Path connection = dir.resolve("corp.json");
        Files.writeString(connection, CallbacksIT.connection("corp").toString());
        Process listen = launch(dir.resolve("data"), "listen", "change_contact_delete_user", "--connection", connection.toString(), "--port", "0");
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(listen.getErrorStream(), StandardCharsets.UTF_8));
            Matcher url = null;
            for (String line; url == null && (line = err.readLine()) != null; ) {
                Matcher m = Pattern.compile("at (http://\\S+/callbacks/corp/contact)").matcher(line);
                url = m.find() ? m : null;
            }
            assertTrue(url != null, "listen printed its callback URL");
            WeComCallbackSender wecom = new WeComCallbackSender(CallbacksIT.TOKEN, CallbacksIT.KEY, CallbacksIT.CORP);
            assertEquals(200, wecom.post(url.group(1), CallbacksIT.deleteUser("zhaoliu")).statusCode());
            BufferedReader out = new BufferedReader(new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8));
            JsonNode line = TestHost.json(out.readLine());
            assertEquals("change_contact_delete_user", line.get("trigger").asText());
            assertEquals("corp", line.get("connection").asText());
            assertEquals("zhaoliu", line.at("/event/UserID").asText());
            assertFalse(line.get("id").asText().isEmpty());
            assertFalse(line.get("receivedAt").asText().isEmpty());
        } finally {
            listen.destroy();
            listen.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void listenOnTheSandboxPrintsTheEventsItSends() throws Exception {
        Path dir = Files.createTempDirectory("listen-sandbox");
        Process listen = launch(dir.resolve("data"), "listen", "change_external_contact_add_external_contact", "--sandbox", "--port", "0");
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(listen.getErrorStream(), StandardCharsets.UTF_8));
            String sandbox = null;
            for (String line; sandbox == null && (line = err.readLine()) != null; ) {
                Matcher m = Pattern.compile("Sandbox at (http://\\S+)").matcher(line);
                sandbox = m.find() ? m.group(1) : null;
            }
            assertTrue(sandbox != null, "listen printed the sandbox's address");
            java.net.http.HttpResponse<String> injected = WeComCallbackSender.HTTP.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(sandbox + "/sandbox/events")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"trigger\": \"change_external_contact_add_external_contact\", \"fields\": {\"UserID\": \"sunqi\"}}"))
                    .header("Content-Type", "application/json").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, injected.statusCode(), injected.body());
            BufferedReader out = new BufferedReader(new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8));
            JsonNode line = TestHost.json(out.readLine());
            assertEquals("change_external_contact_add_external_contact", line.get("trigger").asText());
            assertEquals("sunqi", line.at("/event/UserID").asText());
        } finally {
            listen.destroy();
            listen.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
