package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The WeCom sandbox's admin API over HTTP: stats, token revocation, faults, bulk generation. */
final class SandboxAdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;

    SandboxAdminClient(URI base) {
        this.base = base;
    }

    /** gettoken calls the sandbox answered since its last reset, all secret kinds together. */
    long gettokenCalls() throws IOException, InterruptedException {
        long total = 0;
        for (JsonNode n : call("GET", "/sandbox/stats", null).path("gettoken")) {
            total += n.asLong();
        }
        return total;
    }

    long requests(String path) throws IOException, InterruptedException {
        return call("GET", "/sandbox/stats", null).path("requests").path(path).asLong();
    }

    JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // a kept-alive connection the sandbox closed meanwhile; admin calls are safe to repeat
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("sandbox admin " + method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
