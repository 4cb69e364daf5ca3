package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.host.http.ApiServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: 300 connections trickling their headers or their bodies must not starve the server.
 * Health and execute keep answering, slow senders hold no thread, and idle ones are closed.
 */
class SlowClientsIT {
    private static final int SLOW = 300;
    private static TestHost test;
    private static ApiServer server;

    @BeforeAll
    static void start() {
        test = TestHost.start();
        server = ApiServer.start(test.host, null, ApiServer.Settings.local()
                .withLimits(new ApiServer.Limits(Duration.ofSeconds(5), Duration.ofSeconds(4), 1000)));
    }

    @AfterAll
    static void stop() {
        server.close();
        test.close();
    }

    private static JsonHealth health() throws IOException {
        RawHttp.Response response = RawHttp.send(server.port(), "GET /health HTTP/1.1\r\nHost: localhost", null);
        assertEquals(200, response.status(), response.body());
        return new JsonHealth(TestHost.json(response.body()).get("busyThreads").asInt());
    }

    record JsonHealth(int busyThreads) {}

    @Test
    void threeHundredSlowConnectionsLeaveHealthAndExecuteAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                OutputStream out = socket.getOutputStream();
                if (i % 2 == 0) {
                    // a body that never finishes: headers complete, 10 of 1000 bytes sent
                    out.write(("POST /api/actions/user_get/execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1000\r\n\r\n{\"userid\":").getBytes(StandardCharsets.US_ASCII));
                } else {
                    // headers that never finish
                    out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                slow.add(socket);
            }
            for (int round = 0; round < 3; round++) {
                for (Socket socket : slow) {
                    trickle(socket);
                }
                long started = System.nanoTime();
                JsonHealth health = health();
                RawHttp.Response execute = RawHttp.send(server.port(), "POST /api/actions/user_get/execute HTTP/1.1\r\nHost: localhost"
                        + "\r\nContent-Type: application/json", "{\"userid\": \"lisi\"}");
                assertEquals(200, execute.status(), execute.body());
                assertTrue(health.busyThreads() < 50, "slow senders hold threads: " + health.busyThreads());
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20), "the server barely answered");
                Thread.sleep(1000);
            }
            // Senders that stop sending are closed after the idle timeout (4 s here).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<Integer> open;
            do {
                Thread.sleep(500);
                open = new ArrayList<>();
                for (int i = 0; i < slow.size(); i++) {
                    if (!closedByServer(slow.get(i))) {
                        open.add(i);
                    }
                }
            } while (!open.isEmpty() && System.nanoTime() < deadline);
            assertTrue(open.isEmpty(), "idle slow connections were not closed: " + open.size() + " " + open.subList(0, Math.min(5, open.size())));
            assertTrue(health().busyThreads() < 10, "threads did not come back");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private static void trickle(Socket socket) {
        try {
            socket.getOutputStream().write('a');
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // closed by the server: fine
        }
    }

    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            int read = socket.getInputStream().read();
            return read == -1 || read >= 0; // an answer (408/400) or the end of the stream
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
