package dev.connectorruntime.wecom.callbacks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom's callback crypto (加解密方案): the SHA-1 signature over the sorted token, timestamp, nonce and
 * ciphertext, and AES-256-CBC with IV = key[0:16] over {@code random(16) | length(4, big-endian) | msg |
 * receiveid}, padded with PKCS#7 to 32-byte blocks. The JDK's PKCS5Padding only removes pads up to 16,
 * so the padding is removed here. Thread-safe; one per callback configuration.
 */
public final class CallbackCrypto {
    private static final int BLOCK = 32;

    private final byte[] token;
    private final SecretKeySpec key;
    private final IvParameterSpec iv;

    /**
     * @throws CallbackException {@code bad_configuration} when the EncodingAESKey is not 43 Base64 characters
     */
    public CallbackCrypto(String token, String encodingAesKey) {
        byte[] raw;
        try {
            raw = encodingAesKey.length() == 43 ? Base64.getDecoder().decode(encodingAesKey + "=") : new byte[0];
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != 32) {
            throw new CallbackException("bad_configuration");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(raw, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOf(raw, 16));
    }

    /** The signature WeCom sends as {@code msg_signature}: lower-case hex SHA-1 of the four values sorted and joined. */
    public String signature(String timestamp, String nonce, String encrypted) {
        String[] parts = {new String(token, StandardCharsets.UTF_8), timestamp, nonce, encrypted};
        Arrays.sort(parts);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String part : parts) {
                sha1.update(part.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks {@code msg_signature} in constant time. */
    public boolean signatureMatches(String timestamp, String nonce, String encrypted, String given) {
        byte[] expected = signature(timestamp, nonce, encrypted).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Decrypts a Base64 ciphertext.
     *
     * @throws CallbackException {@code bad_ciphertext} for bad Base64, length, padding or layout
     */
    public Plaintext decrypt(String base64) {
        byte[] cipherText;
        try {
            cipherText = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new CallbackException("bad_ciphertext");
        }
        if (cipherText.length == 0 || cipherText.length % BLOCK != 0) {
            throw new CallbackException("bad_ciphertext");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, iv);
            plain = cipher.doFinal(cipherText);
        } catch (GeneralSecurityException e) {
            throw new CallbackException("bad_ciphertext");
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || pad > plain.length) {
            throw new CallbackException("bad_ciphertext");
        }
        for (int i = plain.length - pad; i < plain.length; i++) {
            if ((plain[i] & 0xff) != pad) {
                throw new CallbackException("bad_ciphertext");
            }
        }
        int end = plain.length - pad;
        if (end < 20) {
            throw new CallbackException("bad_ciphertext");
        }
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (length < 0 || length > end - 20) {
            throw new CallbackException("bad_ciphertext");
        }
        String message = new String(plain, 20, length, StandardCharsets.UTF_8);
        String receiveId = new String(plain, 20 + length, end - 20 - length, StandardCharsets.UTF_8);
        return new Plaintext(message, receiveId);
    }

    /** Encrypts {@code message} for {@code receiveId} with the given 16-byte random prefix (Base64 result). */
    public String encrypt(byte[] random16, String message, String receiveId) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = receiveId.getBytes(StandardCharsets.UTF_8);
        int unpadded = 16 + 4 + msg.length + id.length;
        int pad = BLOCK - unpadded % BLOCK;
        ByteBuffer buffer = ByteBuffer.allocate(unpadded + pad);
        buffer.put(random16, 0, 16).putInt(msg.length).put(msg).put(id);
        for (int i = 0; i < pad; i++) {
            buffer.put((byte) pad);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, iv);
            return Base64.getEncoder().encodeToString(cipher.doFinal(buffer.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A decrypted message and the receiveid it was sealed for. */
    public record Plaintext(String message, String receiveId) {}
}
