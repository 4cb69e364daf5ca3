package dev.connectorruntime.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The JS-SDK signature follows the official algorithm (doc 90506 and its worked example). */
class JsapiSignatureTest {

    @Test
    void reproducesTheOfficialWorkedExample() {
        String ticket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";
        assertEquals("0f9de62fce790f9a083d5c99e95740ceb90c27ed",
                JsapiSignature.sign(ticket, "Wm3WZYTPz0wzccnW", 1414587457L, "http://mp.weixin.qq.com?params=value"));
    }

    @Test
    void signsThePageUrlWithoutItsFragment() {
        assertEquals("https://example.com/page?a=1", JsapiSignature.stripFragment("https://example.com/page?a=1#section"));
        assertEquals("https://example.com/page", JsapiSignature.stripFragment("https://example.com/page"));
    }
}
