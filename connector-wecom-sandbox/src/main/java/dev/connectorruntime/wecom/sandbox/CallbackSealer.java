package dev.connectorruntime.wecom.sandbox;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sending side of WeCom's callback crypto, as WeCom seals what it pushes: AES-256-CBC with the key
 * Base64(EncodingAESKey + "=") and IV = key[0:16] over {@code random(16) | length(4, big-endian) | xml |
 * receiveid}, PKCS#7-padded to 32-byte blocks, and {@code msg_signature} = SHA-1 of the sorted token,
 * timestamp, nonce and ciphertext. The sandbox has its own copy (the connector's side only has to
 * open callbacks), checked against the same known-answer vectors.
 */
final class CallbackSealer {
    private static final int BLOCK = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final SecretKeySpec key;
    private final IvParameterSpec iv;
    private final String receiveId;

    CallbackSealer(String token, String encodingAesKey, String receiveId) {
        byte[] raw = Base64.getDecoder().decode(encodingAesKey + "=");
        this.token = token;
        this.key = new SecretKeySpec(raw, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOf(raw, 16));
        this.receiveId = receiveId;
    }

    /** A sealed callback: the query WeCom appends to the URL and the XML envelope it POSTs. */
    record Sealed(String query, String envelope) {}

    /** Seals {@code xml} with a fresh random prefix, timestamp and nonce, as each of WeCom's sends has. */
    Sealed seal(String xml) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String encrypted = encrypt(random, xml);
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(1_000_000_000L + RANDOM.nextInt(1_000_000_000));
        String query = "msg_signature=" + signature(timestamp, nonce, encrypted) + "&timestamp=" + timestamp + "&nonce="
                + URLEncoder.encode(nonce, StandardCharsets.UTF_8);
        return new Sealed(query, "<xml><ToUserName><![CDATA[" + receiveId + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>");
    }

    /** The Base64 ciphertext of {@code message} with the given 16-byte random prefix. */
    String encrypt(byte[] random16, String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = receiveId.getBytes(StandardCharsets.UTF_8);
        int unpadded = 16 + 4 + msg.length + id.length;
        int pad = BLOCK - unpadded % BLOCK;
        ByteBuffer plain = ByteBuffer.allocate(unpadded + pad).put(random16, 0, 16).putInt(msg.length).put(msg).put(id);
        for (int i = 0; i < pad; i++) {
            plain.put((byte) pad);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, iv);
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex SHA-1 of the token, timestamp, nonce and ciphertext, sorted and joined. */
    String signature(String timestamp, String nonce, String encrypted) {
        String[] parts = {token, timestamp, nonce, encrypted};
        Arrays.sort(parts);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", parts).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
