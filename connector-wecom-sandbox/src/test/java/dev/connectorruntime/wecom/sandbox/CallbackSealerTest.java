package dev.connectorruntime.wecom.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.wecom.callbacks.CallbackCrypto;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The sandbox seals callbacks exactly as WeCom does: the reference's known-answer vectors, and the connector opens what it seals. */
class CallbackSealerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode vector(String id) throws Exception {
        try (InputStream in = CallbackSealerTest.class.getResourceAsStream("/callbacks/vectors.json")) {
            for (JsonNode v : JSON.readTree(in).get("vectors")) {
                if (v.get("id").asText().equals(id)) {
                    assertTrue(v.get("verified").asBoolean(), id + " is a verified vector");
                    return v;
                }
            }
        }
        throw new IllegalArgumentException(id);
    }

    private static CallbackSealer sealer(JsonNode v) {
        return new CallbackSealer(v.get("token").asText(), v.get("encoding_aes_key").asText(), v.get("receiveid").asText());
    }

    private static byte[] random16(JsonNode v) {
        return v.get("random_16").asText().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encryptsTheKnownAnswerVectors() throws Exception {
        for (String id : new String[] {"wxjava_encrypt_kat_short", "wxjava_encrypt_kat_long", "derived_passive_reply_xml"}) {
            JsonNode v = vector(id);
            assertEquals(16, random16(v).length, id);
            assertEquals(v.get("expected_encrypt").asText(), sealer(v).encrypt(random16(v), v.get("plaintext").asText()), id);
        }
    }

    @Test
    void signsTheKnownAnswerVectors() throws Exception {
        JsonNode reply = vector("derived_passive_reply_xml");
        assertEquals(reply.get("expected_msg_signature").asText(), sealer(reply).signature(reply.get("timestamp").asText(),
                reply.get("nonce").asText(), reply.get("expected_encrypt").asText()));
        JsonNode post = vector("official_post_xml_message");
        assertEquals(post.get("msg_signature").asText(), sealer(post).signature(post.get("timestamp").asText(),
                post.get("nonce").asText(), post.get("encrypt").asText()));
    }

    @Test
    void whatItSealsTheConnectorOpens() throws Exception {
        JsonNode v = vector("official_post_xml_message");
        CallbackSealer sealer = sealer(v);
        String xml = "<xml><ToUserName><![CDATA[" + v.get("receiveid").asText() + "]]></ToUserName><Content><![CDATA[你好，世界]]></Content></xml>";
        CallbackSealer.Sealed sealed = sealer.seal(xml);
        Matcher encrypt = Pattern.compile("<Encrypt><!\\[CDATA\\[(.*?)]]></Encrypt>").matcher(sealed.envelope());
        assertTrue(encrypt.find());
        Matcher query = Pattern.compile("msg_signature=([0-9a-f]{40})&timestamp=(\\d+)&nonce=(\\d+)").matcher(sealed.query());
        assertTrue(query.matches(), sealed.query());
        CallbackCrypto crypto = new CallbackCrypto(v.get("token").asText(), v.get("encoding_aes_key").asText());
        assertTrue(crypto.signatureMatches(query.group(2), query.group(3), encrypt.group(1), query.group(1)));
        CallbackCrypto.Plaintext opened = crypto.decrypt(encrypt.group(1));
        assertEquals(xml, opened.message());
        assertEquals(v.get("receiveid").asText(), opened.receiveId());
        assertEquals(0, Base64.getDecoder().decode(encrypt.group(1)).length % 32, "PKCS#7 to 32-byte blocks");
        assertTrue(!sealed.equals(sealer.seal(xml)), "each send is sealed afresh");
    }
}
