package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.spi.Transport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error is problem JSON: bad media types in inputs, Jetty's own rejections, and the unexpected. */
class ErrorsIT {
    private static TestHost test;
    private static ApiServer server;

    @BeforeAll
    static void start() {
        test = TestHost.start();
        server = ApiServer.start(test.host, null, ApiServer.Settings.local().withMaxBodyBytes(4096));
    }

    @AfterAll
    static void stop() {
        server.close();
        test.close();
    }

    private static RawHttp.Response execute(int port, String action, String body) throws Exception {
        return RawHttp.send(port, "POST /api/actions/" + action + "/execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json", body);
    }

    private static void assertProblem(RawHttp.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.header("Content-Type").startsWith("application/problem+json"), response.header("Content-Type") + " " + response.body());
        JsonNode problem = TestHost.json(response.body());
        assertEquals(status, problem.get("status").asInt());
        assertFalse(response.body().toLowerCase().contains("jetty"), response.body());
    }

    @Test
    void aMalformedMediaTypeOrAnUnknownCharsetInAnUploadIsAFieldError() throws Exception {
        long before = test.requests("/cgi-bin/media/upload");
        for (String type : new String[] {";;;", "text/plain; charset=x-unknown-9", "image/png; charset=\\u0000"}) {
            String body = "{\"type\": \"file\", \"filename\": \"a.txt\", \"content\": \"aGVsbG8=\", \"content_type\": \"" + type + "\"}";
            RawHttp.Response response = execute(server.port(), "media_upload", body);
            assertProblem(response, 422);
            assertEquals("/content_type", TestHost.json(response.body()).at("/error/fieldErrors/0/pointer").asText(), response.body());
        }
        assertEquals(before, test.requests("/cgi-bin/media/upload"), "a bad upload reached the upstream");
    }

    @Test
    void jettysOwnRejectionsAreProblems() throws Exception {
        assertProblem(RawHttp.send(server.port(), "GET /api/actions/%zz HTTP/1.1\r\nHost: localhost", null), 400);
        assertProblem(RawHttp.send(server.port(), "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000), null), 431);
        String chunk = "{\"userid\": \"" + "a".repeat(8000) + "\"}";
        String chunked = "POST /api/actions/user_get/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(chunked.getBytes(StandardCharsets.UTF_8));
            assertProblem(RawHttp.parse(socket.getInputStream()), 413);
        }
    }

    @Test
    void anUnexpectedExceptionIsLoggedWithACorrelationIdCountedAndAProblem() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Transport broken = request -> {
            throw new IllegalStateException("transport bug");
        };
        try (ConnectorHost host = ConnectorHost.builder().pluginsDir(TestHost.freshPluginsDir()).meters(meters).transport(broken).build()) {
            host.addConnection(test.connection());
            try (ApiServer api = ApiServer.start(host, meters, ApiServer.Settings.local())) {
                PrintStream original = System.err;
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                RawHttp.Response response;
                System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
                try {
                    response = execute(api.port(), "user_get", "{\"userid\": \"lisi\"}");
                } finally {
                    System.setErr(original);
                }
                assertProblem(response, 500);
                String id = TestHost.json(response.body()).get("correlationId").asText();
                assertFalse(id.isBlank());
                assertTrue(log.toString(StandardCharsets.UTF_8).contains(id), "the log names the correlation id: " + log);
                assertTrue(meters.scrape().contains("connector_http_unhandled_errors_total 1.0"), meters.scrape());
            }
        }
    }
}
