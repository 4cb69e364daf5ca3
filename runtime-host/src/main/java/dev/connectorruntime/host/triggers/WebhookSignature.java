package dev.connectorruntime.host.triggers;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The signature each webhook delivery carries, so a receiver can tell it came from this host and was
 * not replayed long after: {@code X-Webhook-Signature: v1=<hex>} where hex is HMAC-SHA256, keyed with
 * the subscription's signing secret (its UTF-8 bytes), over {@code <X-Webhook-Timestamp> + "." + body}.
 *
 * <p>A receiver recomputes the HMAC over the raw body it received, compares in constant time, and
 * rejects timestamps too far from its clock (five minutes is customary).
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Webhook-Timestamp";
    public static final String ID_HEADER = "X-Webhook-Id";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new random signing secret: {@code whsec_} and 32 random bytes, base64url. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The header value for a body sent at {@code timestampSeconds}: {@code v1=<hex>}. */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        byte[] prefix = (timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII);
        return "v1=" + Hashing.hmacSha256(secret.getBytes(StandardCharsets.UTF_8)).newHasher()
                .putBytes(prefix).putBytes(body).hash();
    }

    /** What a receiver does: true when {@code header} is the signature of this timestamp and body. */
    public static boolean verify(String secret, String timestamp, byte[] body, String header) {
        if (header == null || timestamp == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = sign(secret, seconds, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
