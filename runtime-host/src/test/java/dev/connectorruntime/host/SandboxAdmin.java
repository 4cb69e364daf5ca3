package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The WeCom sandbox's admin API (reset, stats, faults, tokens), spoken over HTTP. */
record SandboxAdmin(Sandbox.Instance sandbox) {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    void reset() {
        call("POST", "/sandbox/reset", "{}");
    }

    JsonNode stats() {
        return call("GET", "/sandbox/stats", null);
    }

    long applied(String path) {
        return stats().path("applied").path(path).asLong();
    }

    long requests(String path) {
        return stats().path("requests").path(path).asLong();
    }

    /** Requests to any WeCom API path (gettoken excluded). */
    long apiRequests() {
        long total = 0;
        var fields = stats().path("requests").fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getKey().equals("/cgi-bin/gettoken")) {
                total += field.getValue().asLong();
            }
        }
        return total;
    }

    long gettokenCalls() {
        long total = 0;
        for (JsonNode n : stats().path("gettoken")) {
            total += n.asLong();
        }
        return total;
    }

    /** The requests the sandbox received (access_token removed), oldest first. */
    JsonNode recentRequests() {
        return call("GET", "/sandbox/requests", null).path("requests");
    }

    /** Every access token the sandbox issued. */
    JsonNode tokens() {
        return call("GET", "/sandbox/tokens", null).path("tokens");
    }

    void fault(String specJson) {
        call("POST", "/sandbox/faults", specJson);
    }

    JsonNode call(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path));
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("sandbox admin " + path + " answered " + response.statusCode());
            }
            return TestHost.json(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
