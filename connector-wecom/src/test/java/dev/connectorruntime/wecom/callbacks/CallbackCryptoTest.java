package dev.connectorruntime.wecom.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The official known-answer vectors (the verified ones of the reference) against the crypto alone. */
class CallbackCryptoTest {
    static JsonNode vector(String id) throws IOException {
        try (InputStream in = CallbackCryptoTest.class.getResourceAsStream("/callbacks/vectors.json")) {
            for (JsonNode v : new ObjectMapper().readTree(in).get("vectors")) {
                if (v.get("id").asText().equals(id)) {
                    assertTrue(v.get("verified").asBoolean(), id + " is a verified vector");
                    return v;
                }
            }
        }
        throw new IllegalArgumentException(id);
    }

    private static CallbackCrypto crypto(JsonNode v) {
        return new CallbackCrypto(v.get("token").asText(), v.get("encoding_aes_key").asText());
    }

    @Test
    void officialUrlVerificationVector() throws IOException {
        JsonNode v = vector("official_url_verification");
        CallbackCrypto crypto = crypto(v);
        String echo = v.get("echostr_urldecoded").asText();
        assertEquals(v.get("msg_signature").asText(), crypto.signature(v.get("timestamp").asText(), v.get("nonce").asText(), echo));
        CallbackCrypto.Plaintext plain = crypto.decrypt(echo);
        assertEquals(v.get("expected_plaintext").asText(), plain.message());
        assertEquals(v.get("receiveid").asText(), plain.receiveId());
    }

    @Test
    void officialXmlMessageVectorHasAPadAbove16() throws Exception {
        JsonNode v = vector("official_post_xml_message");
        CallbackCrypto crypto = crypto(v);
        String encrypted = v.get("encrypt").asText();
        assertTrue(crypto.signatureMatches(v.get("timestamp").asText(), v.get("nonce").asText(), encrypted, v.get("msg_signature").asText()));
        CallbackCrypto.Plaintext plain = crypto.decrypt(encrypted);
        assertEquals(v.get("expected_plaintext").asText(), plain.message());
        assertEquals(v.get("receiveid").asText(), plain.receiveId());
        // why the padding is removed by hand: the JDK's PKCS5Padding rejects this message's 30-byte pad
        byte[] key = Base64.getDecoder().decode(v.get("encoding_aes_key").asText() + "=");
        Cipher pkcs5 = Cipher.getInstance("AES/CBC/PKCS5Padding");
        pkcs5.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
        assertThrows(BadPaddingException.class, () -> pkcs5.doFinal(Base64.getDecoder().decode(encrypted)));
    }

    @Test
    void officialJsonMessageVector() throws IOException {
        JsonNode v = vector("official_post_json_message");
        CallbackCrypto crypto = crypto(v);
        String encrypted = v.get("encrypt").asText();
        assertEquals(v.get("msg_signature").asText(), crypto.signature(v.get("timestamp").asText(), v.get("nonce").asText(), encrypted));
        assertEquals(v.get("expected_plaintext").asText(), crypto.decrypt(encrypted).message());
    }

    @Test
    void encryptionKnownAnswers() throws IOException {
        for (String id : new String[] {"wxjava_encrypt_kat_short", "wxjava_encrypt_kat_long", "derived_passive_reply_xml"}) {
            JsonNode v = vector(id);
            CallbackCrypto crypto = crypto(v);
            byte[] random = v.get("random_16").asText().getBytes(StandardCharsets.UTF_8);
            String encrypted = crypto.encrypt(random, v.get("plaintext").asText(), v.get("receiveid").asText());
            assertEquals(v.get("expected_encrypt").asText(), encrypted, id);
            assertEquals(v.get("plaintext").asText(), crypto.decrypt(encrypted).message(), id);
            if (v.has("expected_msg_signature")) {
                assertEquals(v.get("expected_msg_signature").asText(),
                        crypto.signature(v.get("timestamp").asText(), v.get("nonce").asText(), encrypted), id);
            }
        }
    }

    @Test
    void badCiphertextIsRejectedWithAReason() throws IOException {
        CallbackCrypto crypto = crypto(vector("official_post_xml_message"));
        String good = vector("official_post_xml_message").get("encrypt").asText();
        for (String bad : new String[] {"not base64!", "", "AAAA", good.substring(0, good.length() - 8)}) {
            CallbackException e = assertThrows(CallbackException.class, () -> crypto.decrypt(bad));
            assertEquals("bad_ciphertext", e.reason());
        }
        assertThrows(CallbackException.class, () -> new CallbackCrypto("t", "short"));
    }
}
