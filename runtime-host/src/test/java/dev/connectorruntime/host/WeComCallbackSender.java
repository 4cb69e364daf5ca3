package dev.connectorruntime.host;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The WeCom side of callback tests: seals a message as WeCom does (AES-256-CBC, PKCS#7 to 32 bytes,
 * random | length | msg | receiveid), signs it and sends it over real HTTP.
 */
final class WeComCallbackSender {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final String token;
    final byte[] key;
    final String receiveId;

    WeComCallbackSender(String token, String encodingAesKey, String receiveId) {
        this.token = token;
        this.key = Base64.getDecoder().decode(encodingAesKey + "=");
        this.receiveId = receiveId;
    }

    String encrypt(String message, byte[] random16) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = receiveId.getBytes(StandardCharsets.UTF_8);
        int unpadded = 20 + msg.length + id.length;
        int pad = 32 - unpadded % 32;
        ByteBuffer plain = ByteBuffer.allocate(unpadded + pad).put(random16, 0, 16).putInt(msg.length).put(msg).put(id);
        for (int i = 0; i < pad; i++) {
            plain.put((byte) pad);
        }
        return Base64.getEncoder().encodeToString(aes(plain.array()));
    }

    /** AES-256-CBC of raw blocks, no padding added (to build bad paddings on purpose). */
    byte[] aes(byte[] blocks) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
            return cipher.doFinal(blocks);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(String timestamp, String nonce, String encrypted) {
        String[] parts = {token, timestamp, nonce, encrypted};
        Arrays.sort(parts);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String envelope(String encrypted) {
        return "<xml><ToUserName><![CDATA[corp]]></ToUserName><Encrypt><![CDATA[" + encrypted + "]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>";
    }

    /** Seals, signs and POSTs one message; a fresh random prefix and nonce each time, as WeCom's resends have. */
    HttpResponse<String> post(String url, String message) throws Exception {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String encrypted = encrypt(message, random);
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(System.nanoTime());
        return postRaw(url, timestamp, nonce, sign(timestamp, nonce, encrypted), envelope(encrypted).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> postRaw(String url, String timestamp, String nonce, String signature, byte[] body) throws Exception {
        String query = "?msg_signature=" + enc(signature) + "&timestamp=" + enc(timestamp) + "&nonce=" + enc(nonce);
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + query)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "text/xml").build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
