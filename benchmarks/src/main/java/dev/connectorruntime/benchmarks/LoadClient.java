package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ExecutionResult;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import me.chanjar.weixin.common.util.http.apache.DefaultApacheHttpClientBuilder;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.bean.WxCpUser;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** One way of calling WeCom's user/get for "zhangsan": each call returns normally or throws. */
interface LoadClient extends AutoCloseable {
    String id();

    void call() throws Exception;

    /** The server process this client calls through, when it has one of its own (its CPU is counted apart). */
    default java.util.OptionalLong serverPid() {
        return java.util.OptionalLong.empty();
    }

    @Override
    void close();

    ObjectMapper JSON = new ObjectMapper();

    /**
     * Ours: {@code ConnectorHost.execute("user_get", {"userid": "zhangsan"})}: validation, binding,
     * rate limits, the token cache, classification, metrics and the call log, as an embedder runs it.
     * With {@code limitsOff}, the connection turns off both client-side limits (per connection and per
     * action); without, it keeps the defaults (200/s per connection, WeCom's 10,000/min per action).
     */
    final class Ours implements LoadClient {
        private final String id;
        private final ConnectorHost host;
        private final ObjectNode input = JSON.createObjectNode().put("userid", "zhangsan");

        Ours(String id, Path pluginsDir, URI stub, int pool, boolean limitsOff) throws ActionException {
            this.id = id;
            host = ConnectorHost.builder().pluginsDir(pluginsDir).maxConnections(pool).build();
            ObjectNode connection = JSON.createObjectNode()
                    .put("name", "stub").put("corpId", StubServer.CORP_ID).put("agentId", StubServer.AGENT_ID)
                    .put("baseUrl", stub.toString());
            if (limitsOff) {
                connection.put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 0); // 0: no limit
            }
            connection.putObject("secrets").put("app", StubServer.SECRET);
            host.addConnection(connection);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void call() {
            ExecutionResult result = host.execute("user_get", input);
            if (!(result instanceof ExecutionResult.Success success) || !"zhangsan".equals(success.output().path("userid").asText())) {
                throw new IllegalStateException("user_get failed: " + result);
            }
        }

        @Override
        public void close() {
            host.close();
        }
    }

    /**
     * The HTTP API: {@code runtime-host serve} from the distribution (its launcher, so its JVM flags),
     * the same connection as "ours" (both client-side limits off), called with
     * {@code POST /api/actions/user_get/execute} over a pooled Apache HttpClient 5.
     */
    final class Api implements LoadClient {
        private final Process serve;
        private final CloseableHttpClient client;
        private final String url;

        Api(Path dist, Path pluginsDir, URI stub, int pool) throws IOException {
            ObjectNode connection = JSON.createObjectNode()
                    .put("name", "stub").put("corpId", StubServer.CORP_ID).put("agentId", StubServer.AGENT_ID)
                    .put("baseUrl", stub.toString()).put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 0);
            connection.putObject("secrets").put("app", StubServer.SECRET);
            Path file = java.nio.file.Files.createTempFile("stub-connection", ".json");
            java.nio.file.Files.writeString(file, connection.toString());
            Path data = java.nio.file.Files.createTempDirectory("serve-data");
            ProcessBuilder builder = new ProcessBuilder(dist.resolve("bin").resolve("runtime-host").toString(),
                    "--plugins", pluginsDir.toString(), "--data-dir", data.toString(),
                    "serve", "--port", "0", "--connection", file.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().keySet().removeIf(k -> k.startsWith("CONNECTION_") || k.startsWith("RUNTIME_"));
            serve = builder.start();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(serve.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String line;
            String port = null;
            while ((line = out.readLine()) != null) {
                java.util.regex.Matcher serving = java.util.regex.Pattern.compile("on http://[^:]+:(\\d+)/").matcher(line);
                if (line.startsWith("Serving") && serving.find()) {
                    port = serving.group(1);
                    break;
                }
            }
            if (port == null) {
                throw new IllegalStateException("serve did not start");
            }
            url = "http://127.0.0.1:" + port + "/api/actions/user_get/execute";
            client = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setMaxConnTotal(pool).setMaxConnPerRoute(pool).build())
                    .disableAutomaticRetries().disableCookieManagement().disableRedirectHandling()
                    .build();
        }

        @Override
        public String id() {
            return "api";
        }

        @Override
        public java.util.OptionalLong serverPid() {
            return java.util.OptionalLong.of(serve.pid());
        }

        @Override
        public void call() throws IOException {
            org.apache.hc.client5.http.classic.methods.HttpPost post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
            post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity("{\"userid\": \"zhangsan\"}",
                    org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
            JsonNode user = client.execute(post, r -> {
                if (r.getCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.getCode() + ": " + EntityUtils.toString(r.getEntity()));
                }
                return JSON.readTree(EntityUtils.toByteArray(r.getEntity()));
            });
            if (!"zhangsan".equals(user.path("userid").asText())) {
                throw new IllegalStateException("user_get failed: " + user);
            }
        }

        @Override
        public void close() {
            client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
            serve.destroy();
            try {
                serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The floor: plain Apache HttpClient 5 (same pool) sending the same GET with the token and
     * parsing the answer with Jackson; no validation, no rate limit, no retries.
     */
    final class Floor implements LoadClient {
        private final CloseableHttpClient client;
        private final String url;

        Floor(URI stub, int pool) throws IOException {
            client = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setMaxConnTotal(pool).setMaxConnPerRoute(pool).build())
                    .disableAutomaticRetries().disableCookieManagement().disableRedirectHandling()
                    .build();
            JsonNode token = client.execute(new HttpGet(stub + "/cgi-bin/gettoken?corpid=" + StubServer.CORP_ID
                    + "&corpsecret=" + StubServer.SECRET), r -> JSON.readTree(EntityUtils.toByteArray(r.getEntity())));
            url = stub + "/cgi-bin/user/get?access_token=" + token.path("access_token").asText() + "&userid=";
        }

        @Override
        public String id() {
            return "floor";
        }

        @Override
        public void call() throws IOException {
            JsonNode user = client.execute(new HttpGet(url + "zhangsan"), r -> JSON.readTree(EntityUtils.toByteArray(r.getEntity())));
            if (user.path("errcode").asInt(-1) != 0 || !"zhangsan".equals(user.path("userid").asText())) {
                throw new IllegalStateException("user/get failed: " + user);
            }
        }

        @Override
        public void close() {
            client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
        }
    }

    /**
     * The peer: WxJava (weixin-java-cp) {@code getUserService().getById("zhangsan")} through its default
     * Apache HttpClient 4 service, its pool raised from 10 per route / 50 in all to the same size as ours.
     */
    final class Peer implements LoadClient {
        private final WxCpService service;

        Peer(URI stub, int pool) {
            DefaultApacheHttpClientBuilder http = DefaultApacheHttpClientBuilder.get();
            http.setMaxConnPerHost(pool);
            http.setMaxTotalConn(pool);
            WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
            config.setCorpId(StubServer.CORP_ID);
            config.setCorpSecret(StubServer.SECRET);
            config.setAgentId(StubServer.AGENT_ID);
            config.setBaseApiUrl(stub.toString());
            config.setApacheHttpClientBuilder(http);
            service = new WxCpServiceImpl();
            service.setWxCpConfigStorage(config);
        }

        /** The pool WxJava's client really has (read back from its builder). */
        String poolDescription() {
            DefaultApacheHttpClientBuilder http = DefaultApacheHttpClientBuilder.get();
            return http.getMaxConnPerHost() + " per route, " + http.getMaxTotalConn() + " in all";
        }

        @Override
        public String id() {
            return "peer";
        }

        @Override
        public void call() throws Exception {
            WxCpUser user = service.getUserService().getById("zhangsan");
            if (user == null || !"zhangsan".equals(user.getUserId())) {
                throw new IllegalStateException("getById failed: " + user);
            }
        }

        @Override
        public void close() {
            // WxJava's Apache client is a process-wide singleton; it goes with the process
        }
    }
}
