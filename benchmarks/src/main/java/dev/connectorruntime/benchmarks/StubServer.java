package dev.connectorruntime.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal WeCom stand-in on loopback that answers at once with fixed JSON: {@code /cgi-bin/gettoken}
 * and {@code /cgi-bin/user/get} (which only checks that an access token is there). It does no work of
 * its own, so what differs between clients calling it is the clients' cost.
 */
final class StubServer implements AutoCloseable {
    static final String TOKEN = "bench_stub_access_token_0123456789abcdef";
    static final String CORP_ID = "wwbenchcorp000001";
    static final String SECRET = "bench-app-secret";
    static final int AGENT_ID = 1000002;

    private static final byte[] TOKEN_JSON = ("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"" + TOKEN
            + "\",\"expires_in\":7200}").getBytes(StandardCharsets.UTF_8);
    /** A member as WeCom's user/get answers it (fields of the doc's example). */
    private static final byte[] USER_JSON = ("{\"errcode\":0,\"errmsg\":\"ok\",\"userid\":\"zhangsan\",\"name\":\"张三\","
            + "\"department\":[1,2],\"order\":[1,2],\"position\":\"后台工程师\",\"mobile\":\"13800000000\",\"gender\":\"1\","
            + "\"email\":\"zhangsan@gzdev.com\",\"biz_mail\":\"zhangsan@qyycs2.wecom.work\",\"is_leader_in_dept\":[1,0],"
            + "\"direct_leader\":[\"lisi\"],\"avatar\":\"https://wework.qpic.cn/wwhead/duc2TvpEgSSjibPZlNR6chpx9W3dtd9Ogp8XEmSNKGa6uufMWn2239HUPuwIFoYYZ7Ph580FPvo8/0\","
            + "\"thumb_avatar\":\"https://wework.qpic.cn/wwhead/duc2TvpEgSSjibPZlNR6chpx9W3dtd9Ogp8XEmSNKGa6uufMWn2239HUPuwIFoYYZ7Ph580FPvo8/100\","
            + "\"telephone\":\"020-123456\",\"alias\":\"jackzhang\",\"address\":\"广州市海珠区新港中路\",\"open_userid\":\"xxxxxx\","
            + "\"main_department\":1,\"extattr\":{\"attrs\":[{\"type\":0,\"name\":\"文本名称\",\"text\":{\"value\":\"文本\"}},"
            + "{\"type\":1,\"name\":\"网页名称\",\"web\":{\"url\":\"http://www.test.com\",\"title\":\"标题\"}}]},"
            + "\"status\":1,\"qr_code\":\"https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=xxx\","
            + "\"external_position\":\"产品经理\",\"external_profile\":{\"external_corp_name\":\"企业简称\",\"external_attr\":[]}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_TOKEN_JSON = "{\"errcode\":41001,\"errmsg\":\"access_token missing\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND_JSON = "{\"errcode\":48001,\"errmsg\":\"api forbidden\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    private final LongAdder gettoken = new LongAdder();
    private final LongAdder userGet = new LongAdder();

    private StubServer(int threads) throws IOException {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true"); // else small answers wait for delayed ACKs
        }
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            // the default 200 is fewer than the clients' pools together (64 each, and serve's): the stub
            // closed the excess idle connections, and the clients reusing them got "Connection reset"
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stub-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static StubServer start(int threads) throws IOException {
        return new StubServer(threads);
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    long gettokenCalls() {
        return gettoken.sum();
    }

    long userGetCalls() {
        return userGet.sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body;
            if ("/cgi-bin/gettoken".equals(path)) {
                gettoken.increment();
                body = TOKEN_JSON;
            } else if ("/cgi-bin/user/get".equals(path)) {
                userGet.increment();
                body = query != null && query.contains("access_token=" + TOKEN) ? USER_JSON : NO_TOKEN_JSON;
            } else {
                body = NOT_FOUND_JSON;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Runs the stub in its own process: prints {@code STUB <baseUrl>}, serves until standard input closes. */
    public static void main(String[] args) throws IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        try (StubServer stub = start(threads)) {
            System.out.println("STUB " + stub.baseUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our standard input (or dies)
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
