package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.host.http.ApiServer;
import dev.connectorruntime.host.triggers.EventFilter;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad callbacks start nothing: each rejection answers 4xx with its reason code only, is counted, and
 * stores nothing; generated garbage never gets a 5xx.
 */
class CallbackRejectionsIT {
    private static final String URL_PATH = "/callbacks/corp/app";
    private static TestHost test;
    private static ApiServer server;
    private static String base;
    private static final WeComCallbackSender WECOM = new WeComCallbackSender(CallbacksIT.TOKEN, CallbacksIT.KEY, CallbacksIT.CORP);
    private static final String TEXT = "<xml><ToUserName><![CDATA[" + CallbacksIT.CORP + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"
            + "<CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content>"
            + "<MsgId>1</MsgId><AgentID>1</AgentID></xml>";

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("rejections-data");
        test = TestHost.start(ConnectorHost.builder().retryPolicy(TestHost.FAST_RETRIES).dataDir(dataDir));
        test.host.addConnection(CallbacksIT.connection("corp"));
        server = ApiServer.start(test.host, null, ApiServer.Settings.local());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        test.close();
    }

    private static long storedCount() {
        return test.host.triggerService().log().read(0, EventFilter.ALL, 10_000).size();
    }

    private static double rejected(String reason) {
        Counter counter = test.host.meters().find("trigger.callbacks").tag("outcome", "rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Sends, then checks the status, the body (the reason code only), the counter, and that nothing was stored. */
    private static void assertRejected(int status, String reason, ThrowingSend send) throws Exception {
        long storedBefore = storedCount();
        double countedBefore = rejected(reason);
        HttpResponse<String> response = send.send();
        assertEquals(status, response.statusCode(), reason + ": " + response.body());
        assertEquals("{\"reason\":\"" + reason + "\"}", response.body());
        assertEquals(countedBefore + 1, rejected(reason), reason + " counted once");
        assertEquals(storedBefore, storedCount(), reason + ": nothing stored");
    }

    interface ThrowingSend {
        HttpResponse<String> send() throws Exception;
    }

    private static HttpResponse<String> postSigned(String path, String encrypted, byte[] body) throws Exception {
        return WeComCallbackSender.postRaw(base + path, "1409659813", "42", WECOM.sign("1409659813", "42", encrypted), body);
    }

    private static HttpResponse<String> postSealed(String message) throws Exception {
        String encrypted = WECOM.encrypt(message, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        return postSigned(URL_PATH, encrypted, WeComCallbackSender.envelope(encrypted).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wrongSignature() throws Exception {
        String encrypted = WECOM.encrypt(TEXT, new byte[16]);
        assertRejected(403, "bad_signature", () -> WeComCallbackSender.postRaw(base + URL_PATH, "1409659813", "42",
                "0".repeat(40), WeComCallbackSender.envelope(encrypted).getBytes(StandardCharsets.UTF_8)));
        assertRejected(403, "bad_signature", () -> WeComCallbackSender.get(base + URL_PATH
                + "?msg_signature=" + "1".repeat(40) + "&timestamp=1&nonce=2&echostr=" + WeComCallbackSender.enc(encrypted)));
    }

    @Test
    void wrongReceiveId() throws Exception {
        WeComCallbackSender otherCorp = new WeComCallbackSender(CallbacksIT.TOKEN, CallbacksIT.KEY, "ww_other_corp");
        String encrypted = otherCorp.encrypt(TEXT, new byte[16]);
        assertRejected(403, "bad_receiveid", () -> postSigned(URL_PATH, encrypted, WeComCallbackSender.envelope(encrypted).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badBase64() throws Exception {
        String junk = "not*base64*at*all";
        assertRejected(400, "bad_ciphertext", () -> postSigned(URL_PATH, junk, WeComCallbackSender.envelope(junk).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badPadding() throws Exception {
        // a well-formed plaintext whose last byte claims a pad of 0, then one of 33 with mismatching bytes
        for (int last : new int[] {0, 33}) {
            ByteBuffer plain = ByteBuffer.allocate(64).put(new byte[16]).putInt(4).put("abcd".getBytes(StandardCharsets.US_ASCII));
            byte[] blocks = plain.array();
            blocks[63] = (byte) last;
            String encrypted = Base64.getEncoder().encodeToString(WECOM.aes(blocks));
            assertRejected(400, "bad_ciphertext", () -> postSigned(URL_PATH, encrypted, WeComCallbackSender.envelope(encrypted).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void truncatedCiphertext() throws Exception {
        String full = WECOM.encrypt(TEXT, new byte[16]);
        String cut = full.substring(0, 24);
        assertRejected(400, "bad_ciphertext", () -> postSigned(URL_PATH, cut, WeComCallbackSender.envelope(cut).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void xmlWithADoctypeOrEntities() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + TEXT.replace("hello", "&x;");
        assertRejected(400, "bad_xml", () -> postSealed(xxe));
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"lol\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY ").append((char) ('a' + i)).append(" \"").append(("&" + (char) ('a' + i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]>").append(TEXT.replace("hello", "&j;"));
        assertRejected(400, "bad_xml", () -> postSealed(laughs.toString()));
        // the envelope itself is parsed with the same rules
        String encrypted = WECOM.encrypt(TEXT, new byte[16]);
        String envelope = "<!DOCTYPE xml [<!ENTITY e \"" + encrypted + "\">]><xml><Encrypt>&e;</Encrypt></xml>";
        assertRejected(400, "bad_xml", () -> postSigned(URL_PATH, encrypted, envelope.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bodyOver64KiB() throws Exception {
        byte[] huge = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertRejected(413, "too_large", () -> WeComCallbackSender.postRaw(base + URL_PATH, "1", "2", "3", huge));
        // without a Content-Length (chunked): the cap holds while reading
        assertRejected(413, "too_large", () -> WeComCallbackSender.HTTP.send(HttpRequest.newBuilder(URI.create(base + URL_PATH + "?msg_signature=a&timestamp=1&nonce=2"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void unknownConnectionOrKindOrUnconfiguredKind() throws Exception {
        String encrypted = WECOM.encrypt(TEXT, new byte[16]);
        byte[] body = WeComCallbackSender.envelope(encrypted).getBytes(StandardCharsets.UTF_8);
        assertRejected(404, "unknown_connection", () -> postSigned("/callbacks/nobody/app", encrypted, body));
        assertRejected(404, "unknown_kind", () -> postSigned("/callbacks/corp/payroll", encrypted, body));
        assertRejected(404, "not_configured", () -> postSigned("/callbacks/corp/externalcontact", encrypted, body));
        assertRejected(400, "missing_parameters", () -> WeComCallbackSender.HTTP.send(HttpRequest.newBuilder(URI.create(base + URL_PATH))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void generatedGarbageGets4xxNeverA5xxAndStoresNothing() throws Exception {
        Random random = new Random(20261128);
        long storedBefore = storedCount();
        String valid = WECOM.encrypt(TEXT, new byte[16]);
        for (int i = 0; i < 120; i++) {
            HttpResponse<String> response;
            switch (i % 6) {
                case 0 -> { // random bytes, random signature
                    byte[] body = new byte[random.nextInt(4096)];
                    random.nextBytes(body);
                    response = WeComCallbackSender.postRaw(base + URL_PATH, "1", "2", Long.toHexString(random.nextLong()), body);
                }
                case 1 -> { // truncated ciphertext, validly signed
                    String cut = valid.substring(0, 1 + random.nextInt(valid.length() - 2));
                    response = postSigned(URL_PATH, cut, WeComCallbackSender.envelope(cut).getBytes(StandardCharsets.UTF_8));
                }
                case 2 -> { // a valid signature over junk
                    byte[] junk = new byte[1 + random.nextInt(200)];
                    random.nextBytes(junk);
                    String text = Base64.getEncoder().encodeToString(junk);
                    response = postSigned(URL_PATH, text, WeComCallbackSender.envelope(text).getBytes(StandardCharsets.UTF_8));
                }
                case 3 -> { // sealed and signed junk plaintext (not XML)
                    byte[] junk = new byte[1 + random.nextInt(500)];
                    random.nextBytes(junk);
                    response = postSealed(new String(junk, StandardCharsets.ISO_8859_1));
                }
                case 4 -> { // deeply nested XML, sealed and signed
                    int depth = 50 + random.nextInt(3000);
                    response = postSealed("<xml><MsgType>text</MsgType>" + "<a>".repeat(depth) + "x" + "</a>".repeat(depth) + "</xml>");
                }
                default -> { // huge XML
                    response = postSealed("<xml><MsgType>text</MsgType><Content>" + "x".repeat(70_000 + random.nextInt(10_000)) + "</Content></xml>");
                }
            }
            int status = response.statusCode();
            assertTrue(status >= 400 && status < 500, "case " + i % 6 + " got " + status + ": " + response.body());
        }
        assertEquals(storedBefore, storedCount());
    }
}
