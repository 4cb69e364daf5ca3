package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback, as a subscriber would write it: it checks each delivery's signature
 * with its own HMAC-SHA256 (not the host's code) and keeps what it received. It can be told to fail
 * (answer 503) or be stopped and started again on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivery as received. */
    public record Received(JsonNode body, boolean signatureValid, String idHeader) {}

    private final List<Received> received = new ArrayList<>();
    private volatile String secret;
    private volatile boolean failing;
    private volatile int port;
    private HttpServer server;

    public WebhookReceiver() {
        start(0);
    }

    public synchronized void start(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestamp = exchange.getRequestHeaders().getFirst("X-Webhook-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Webhook-Signature");
            boolean fail = failing;
            if (!fail) {
                synchronized (received) {
                    received.add(new Received(JSON.readTree(body), valid(timestamp, body, signature),
                            exchange.getRequestHeaders().getFirst("X-Webhook-Id")));
                    received.notifyAll();
                }
            }
            exchange.sendResponseHeaders(fail ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    public synchronized void stop() {
        server.stop(0);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hook");
    }

    public int port() {
        return port;
    }

    /** The signing secret the subscription returned, to check signatures with. */
    public void secret(String value) {
        secret = value;
    }

    public void failing(boolean value) {
        failing = value;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits (up to {@code timeout}) until at least {@code count} deliveries arrived; returns them. */
    public List<Received> await(int count, Duration timeout) throws InterruptedException {
        waitFor(() -> received().size() >= count, timeout);
        return received();
    }

    public static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The receiver's own check: HMAC-SHA256(secret, timestamp + "." + body), hex, as "v1=<hex>". */
    private boolean valid(String timestamp, byte[] body, String signature) {
        if (secret == null || timestamp == null || signature == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            byte[] digest = mac.doFinal(body);
            StringBuilder hex = new StringBuilder("v1=");
            for (byte b : digest) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString().equals(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
