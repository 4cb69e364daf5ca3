package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.http.ApiServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Trigger callbacks end to end over real HTTP: WeCom's encrypted, signed {@code change_contact /
 * create_user} callbacks POSTed to {@code /callbacks/{connection}/contact} of a host serving its API,
 * each one verified, decrypted, converted, stored and acknowledged ({@code success}). Measured with the
 * embedded store and with Redis: callbacks per second and acknowledgement latency at concurrency
 * {@code c} (closed loop), then the latency from sending a callback to a webhook subscriber receiving
 * its event, at a steady rate. Runs in its own JVM; writes JSON.
 */
public final class CallbackPhase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORP_ID = "wwbench0000000001";
    private static final String TOKEN = "benchtoken";
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = Args.parse(args);
        Path plugins = Path.of(opts.get("plugins"));
        Path outFile = Path.of(opts.getOrDefault("out", "target/callback-phase.json")).toAbsolutePath();
        Files.createDirectories(outFile.getParent());
        Settings settings = new Settings(Integer.parseInt(opts.getOrDefault("concurrency", "16")),
                Long.parseLong(opts.getOrDefault("warmup-ms", "4000")), Long.parseLong(opts.getOrDefault("measure-ms", "4000")),
                Integer.parseInt(opts.getOrDefault("rounds", "3")), Integer.parseInt(opts.getOrDefault("webhook-events", "2000")),
                Integer.parseInt(opts.getOrDefault("webhook-rate", "200")));
        ObjectNode out = JSON.createObjectNode();
        out.put("concurrency", settings.concurrency).put("warmupMs", settings.warmupMs).put("measureMs", settings.measureMs)
                .put("rounds", settings.rounds).put("webhookEvents", settings.webhookEvents).put("webhookRate", settings.webhookRate);
        out.set("embedded", run("embedded", plugins, null, settings));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("bench-redis");
        Process redis;
        try {
            // durable as a deployment would run it: every write in the append-only file, fsync each second
            redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (java.io.IOException e) {
            out.put("redisSkipped", "redis-server is not installed");
            Files.write(outFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
            return;
        }
        try {
            Thread.sleep(500);
            out.set("redis", run("redis", plugins, "redis://127.0.0.1:" + port, settings));
        } finally {
            redis.destroy();
            redis.waitFor(5, TimeUnit.SECONDS);
            Plugins.deleteQuietly(dir);
        }
        Files.write(outFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
        System.err.printf("[callbacks] figures written to %s%n", outFile);
        System.exit(0); // the webhook receiver's executors are not daemons: the phase would never end
    }

    record Settings(int concurrency, long warmupMs, long measureMs, int rounds, int webhookEvents, int webhookRate) {}

    private static ObjectNode run(String name, Path plugins, String redisUrl, Settings settings) throws Exception {
        Path data = Files.createTempDirectory("bench-data");
        Path pluginsCopy = Plugins.copy(plugins);
        ObjectNode result = JSON.createObjectNode();
        try (ConnectorHost host = ConnectorHost.builder().pluginsDir(pluginsCopy).dataDir(data).redis(redisUrl).build()) {
            ObjectNode connection = JSON.createObjectNode().put("name", "bench").put("corpId", CORP_ID).put("agentId", 1000002)
                    .put("baseUrl", "http://127.0.0.1:9");
            connection.putObject("secrets").put("contact", "unused");
            connection.putObject("callbacks").putObject("contact").put("token", TOKEN).put("encodingAesKey", AES_KEY);
            host.addConnection(connection);
            try (ApiServer server = ApiServer.start(host, null, ApiServer.Settings.local().withHost("127.0.0.1", 0));
                 CloseableHttpClient http = HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                         .setMaxConnTotal(64).setMaxConnPerRoute(64).build()).build()) {
                String url = "http://127.0.0.1:" + server.port() + "/callbacks/bench/contact";
                Sealer sealer = new Sealer();
                System.err.printf("[callbacks/%s] sealing callbacks ...%n", name);
                long perSecondGuess = 6000;
                int needed = (int) (perSecondGuess * (settings.warmupMs + settings.rounds * settings.measureMs) / 1000);
                List<Sealed> sealed = sealer.seal(name + "-load-", needed);
                result.set("acknowledge", acknowledge(name, http, url, sealed, settings));
                result.set("webhook", webhook(name, host, http, url, sealer, settings));
            }
        } finally {
            Plugins.deleteQuietly(pluginsCopy);
            Plugins.deleteQuietly(data);
        }
        return result;
    }

    /** Closed loop at concurrency c: each thread posts the next sealed callback as soon as the last was acknowledged. */
    private static ObjectNode acknowledge(String name, CloseableHttpClient http, String url, List<Sealed> sealed, Settings s)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        long[][] latencies = new long[s.concurrency][];
        long[][] ends = new long[s.concurrency][];
        int[] counts = new int[s.concurrency];
        long start = System.nanoTime();
        long stopAt = start + TimeUnit.MILLISECONDS.toNanos(s.warmupMs + s.rounds * s.measureMs);
        CountDownLatch done = new CountDownLatch(s.concurrency);
        for (int t = 0; t < s.concurrency; t++) {
            int thread = t;
            latencies[t] = new long[sealed.size()];
            ends[t] = new long[sealed.size()];
            new Thread(() -> {
                try {
                    while (System.nanoTime() < stopAt) {
                        int i = next.getAndIncrement();
                        if (i >= sealed.size()) {
                            break;
                        }
                        long begin = System.nanoTime();
                        boolean ok = post(http, url, sealed.get(i));
                        long end = System.nanoTime();
                        if (!ok) {
                            failures.incrementAndGet();
                        }
                        latencies[thread][counts[thread]] = end - begin;
                        ends[thread][counts[thread]] = end;
                        counts[thread]++;
                    }
                } finally {
                    done.countDown();
                }
            }, "callbacks-" + t).start();
        }
        done.await();
        ObjectNode out = JSON.createObjectNode();
        var windows = out.putArray("windows");
        List<Double> ops = new ArrayList<>();
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        for (int r = 0; r < s.rounds; r++) {
            long from = start + TimeUnit.MILLISECONDS.toNanos(s.warmupMs + r * s.measureMs);
            long to = from + TimeUnit.MILLISECONDS.toNanos(s.measureMs);
            List<Long> window = new ArrayList<>();
            for (int t = 0; t < s.concurrency; t++) {
                for (int i = 0; i < counts[t]; i++) {
                    if (ends[t][i] >= from && ends[t][i] < to) {
                        window.add(latencies[t][i]);
                    }
                }
            }
            window.sort(null);
            double perSecond = window.size() / (s.measureMs / 1000.0);
            double p50 = percentile(window, 0.50) / 1e6;
            double p99 = percentile(window, 0.99) / 1e6;
            ops.add(perSecond);
            p50s.add(p50);
            p99s.add(p99);
            windows.addObject().put("callbacks", window.size()).put("perSecond", perSecond).put("p50Ms", p50).put("p99Ms", p99);
        }
        int total = Arrays.stream(counts).sum();
        out.put("posted", total).put("failed", failures.get()).put("exhausted", next.get() >= sealed.size());
        out.put("perSecond", Stats.median(ops)).put("p50Ms", Stats.median(p50s)).put("p99Ms", Stats.median(p99s));
        System.err.printf("[callbacks/%s] c=%d: %.0f callbacks/s acknowledged, p50 %.1f ms, p99 %.1f ms (%d posted, %d failed)%n",
                name, s.concurrency, out.path("perSecond").asDouble(), out.path("p50Ms").asDouble(), out.path("p99Ms").asDouble(),
                total, failures.get());
        return out;
    }

    /**
     * A webhook subscription to a local receiver, then callbacks at a steady rate: the time from starting
     * to send a callback until the receiver has its event (verification, decryption, storage,
     * acknowledgement, the dispatcher noticing, the signed POST).
     */
    private static ObjectNode webhook(String name, ConnectorHost host, CloseableHttpClient http, String url, Sealer sealer, Settings s)
            throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        java.util.concurrent.ExecutorService receiving = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        });
        receiver.setExecutor(receiving);
        receiver.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            receivedAt.putIfAbsent(body.path("event").path("UserID").asText(), now);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            host.delivery().subscribe(JSON.createObjectNode().put("trigger", "change_contact_create_user").put("connection", "bench")
                    .put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
            List<Sealed> sealed = sealer.seal(name + "-hook-", s.webhookEvents);
            long interval = TimeUnit.SECONDS.toNanos(1) / s.webhookRate;
            long begin = System.nanoTime();
            int failed = 0;
            for (int i = 0; i < sealed.size(); i++) {
                long due = begin + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sentAt.put(sealed.get(i).userId(), System.nanoTime());
                if (!post(http, url, sealed.get(i))) {
                    failed++;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (receivedAt.size() < sealed.size() - failed && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<Long> latencies = new ArrayList<>();
            sentAt.forEach((user, sent) -> {
                Long got = receivedAt.get(user);
                if (got != null) {
                    latencies.add(got - sent);
                }
            });
            latencies.sort(null);
            ObjectNode out = JSON.createObjectNode();
            out.put("sent", sealed.size()).put("failed", failed).put("delivered", latencies.size())
                    .put("p50Ms", percentile(latencies, 0.50) / 1e6).put("p99Ms", percentile(latencies, 0.99) / 1e6)
                    .put("maxMs", latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1) / 1e6);
            System.err.printf("[callbacks/%s] callback to webhook at %d/s: p50 %.1f ms, p99 %.1f ms (%d of %d delivered)%n",
                    name, s.webhookRate, out.path("p50Ms").asDouble(), out.path("p99Ms").asDouble(), latencies.size(), sealed.size());
            return out;
        } finally {
            receiver.stop(0);
            receiving.shutdownNow();
        }
    }

    private static boolean post(CloseableHttpClient http, String url, Sealed callback) {
        HttpPost post = new HttpPost(url + callback.query());
        post.setEntity(new ByteArrayEntity(callback.body(), ContentType.TEXT_XML));
        try {
            return http.execute(post, response -> response.getCode() == 200
                    && "success".equals(EntityUtils.toString(response.getEntity())));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** One callback as WeCom sends it: the query string (signature, timestamp, nonce) and the envelope. */
    record Sealed(String userId, String query, byte[] body) {}

    /** Seals callbacks as WeCom does: AES-256-CBC (IV = key[0:16]) over random|length|xml|corpid, PKCS#7 to 32 bytes, SHA-1 signature. */
    static final class Sealer {
        private final byte[] key = Base64.getDecoder().decode(AES_KEY + "=");
        private final java.security.SecureRandom random = new java.security.SecureRandom();

        List<Sealed> seal(String prefix, int count) throws Exception {
            List<Sealed> list = new ArrayList<>(count);
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            long now = System.currentTimeMillis() / 1000;
            for (int i = 0; i < count; i++) {
                String userId = prefix + i;
                String xml = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                        + "<CreateTime>" + now + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
                        + "<ChangeType>create_user</ChangeType><UserID><![CDATA[" + userId + "]]></UserID><Name><![CDATA[张三]]></Name>"
                        + "<Department><![CDATA[1,2]]></Department><MainDepartment>1</MainDepartment><Position><![CDATA[产品经理]]></Position>"
                        + "<Gender>1</Gender><Status>1</Status></xml>";
                byte[] msg = xml.getBytes(StandardCharsets.UTF_8);
                byte[] id = CORP_ID.getBytes(StandardCharsets.UTF_8);
                int unpadded = 20 + msg.length + id.length;
                int pad = 32 - unpadded % 32;
                byte[] prefix16 = new byte[16];
                random.nextBytes(prefix16);
                ByteBuffer plain = ByteBuffer.allocate(unpadded + pad).put(prefix16).putInt(msg.length).put(msg).put(id);
                for (int p = 0; p < pad; p++) {
                    plain.put((byte) pad);
                }
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
                String encrypted = Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
                String timestamp = Long.toString(now);
                String nonce = Integer.toString(random.nextInt(1_000_000_000));
                String[] parts = {TOKEN, timestamp, nonce, encrypted};
                Arrays.sort(parts);
                String signature = HexFormat.of().formatHex(sha1.digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
                String query = "?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce;
                String envelope = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                        + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";
                list.add(new Sealed(userId, query, envelope.getBytes(StandardCharsets.UTF_8)));
            }
            return list;
        }
    }
}
