package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.LocalHandler;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * The JS-SDK actions: fetch the jsapi ticket (corp or agent), cache it per corp + secret until
 * shortly before expiry, and, given a page url, compute the signature set a page needs
 * (sha1 of {@code jsapi_ticket=..&noncestr=..&timestamp=..&url=..}, url without its fragment).
 */
final class JsapiSignature implements LocalHandler {
    static final String HANDLER_NAME = "jsapi_signature";
    private static final String NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccessTokens accessTokens;
    private final Clock clock;

    JsapiSignature(AccessTokens accessTokens, Clock clock) {
        this.accessTokens = accessTokens;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input, Call call) throws ActionException {
        String kind = accessTokens.secretKind(call.action(), call.connection());
        Secret secret = call.connection().secret(kind).orElseThrow();
        String key = accessTokens.cacheKey(AccessTokens.ticketPurpose(call.action().id()), call.connection(),
                AccessTokens.corpId(call.connection()), secret);
        TokenStore.Token ticket = call.tokens().get(key, () -> {
            ObjectNode upstreamInput = ((ObjectNode) input).deepCopy();
            call.action().http().local().forEach(upstreamInput::remove);
            JsonNode out = call.upstream(upstreamInput);
            if (!out.hasNonNull("ticket")) {
                throw new ActionException(ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE, "WeCom returned no ticket"));
            }
            return new TokenStore.Token(Secret.of(out.get("ticket").asText()),
                    clock.instant().plusSeconds(out.path("expires_in").asLong(7200)));
        });
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("errcode", 0);
        out.put("errmsg", "ok");
        out.put("ticket", ticket.value().reveal());
        out.put("expires_in", Math.max(0, ticket.expiresAt().getEpochSecond() - clock.instant().getEpochSecond()));
        if (input.hasNonNull("url")) {
            String url = stripFragment(input.get("url").asText());
            String noncestr = nonce();
            long timestamp = clock.instant().getEpochSecond();
            out.put("noncestr", noncestr);
            out.put("timestamp", timestamp);
            out.put("url", url);
            out.put("signature", sign(ticket.value().reveal(), noncestr, timestamp, url));
        }
        return out;
    }

    /** The doc's algorithm: keys in ASCII order, raw values, SHA-1 as 40 lower-case hex chars. */
    static String sign(String ticket, String noncestr, long timestamp, String url) {
        String plain = "jsapi_ticket=" + ticket + "&noncestr=" + noncestr + "&timestamp=" + timestamp + "&url=" + url;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(plain.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String stripFragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? url : url.substring(0, hash);
    }

    private static String nonce() {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(NONCE_ALPHABET.charAt(RANDOM.nextInt(NONCE_ALPHABET.length())));
        }
        return sb.toString();
    }
}
