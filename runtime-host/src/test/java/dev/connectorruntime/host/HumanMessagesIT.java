package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Errors in words, the same for the Java API, the CLI and the HTTP API (they share the validator):
 * a broken pattern says its schema's message, never the expression; one of several required fields is
 * one message at each; the summary follows the caller's language; an errcode about a field names it.
 */
@ExtendWith(TestHostExtension.class)
class HumanMessagesIT {
    private final TestHost test;

    HumanMessagesIT(TestHost test) {
        this.test = test;
    }

    @Test
    void everyPatternOfTheCatalogHasAMessageInBothLanguages() {
        List<String> missing = new ArrayList<>();
        for (ActionDescriptor action : test.host.actions()) {
            walk(action.input(), action.id() + " input", missing);
            walk(action.output(), action.id() + " output", missing);
        }
        assertEquals(List.of(), missing);
    }

    private void walk(JsonNode node, String where, List<String> missing) {
        if (node.isObject() && node.path("pattern").isTextual()) {
            JsonNode message = node.path("x-patternMessage");
            if (message.path("zh").asText("").isBlank() || message.path("en").asText("").isBlank()) {
                missing.add(where);
            }
        }
        if (node.isContainerNode()) {
            node.fields().forEachRemaining(e -> walk(e.getValue(), where + "/" + e.getKey(), missing));
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), where + "/" + i, missing);
                }
            }
        }
    }

    @Test
    void aBrokenPatternSaysItsMessageInTheCallersLanguage() throws Exception {
        JsonNode input = TestHost.json("{\"userid\": \"-bad\", \"name\": \"坏\", \"mobile\": \"12345\"}");
        List<FieldError> zh = test.host.validate("user_create", input, new ExecuteOptions(null, Locale.SIMPLIFIED_CHINESE));
        assertEquals(List.of("/userid: 只能由数字、字母和 _-@. 组成，且以数字或字母开头",
                "/mobile: 中国大陆手机号为 1 开头的 11 位数字；其他国家或地区须带国际码，如 +852 51234567"),
                zh.stream().map(FieldError::message).toList());
        List<FieldError> en = test.host.validate("user_create", input, new ExecuteOptions(null, Locale.ENGLISH));
        assertEquals("/userid: only digits, letters and _ - @ . , starting with a digit or a letter", en.get(0).message());
        assertFalse(en.toString().contains("^[") || zh.toString().contains("^["), "no regular expression");
    }

    @Test
    void oneOfSeveralRequiredFieldsIsOneMessageAtEachAndTheSummaryFollowsTheLanguage() {
        JsonNode input = TestHost.json("{\"userid\": \"nomobile\", \"name\": \"无手机\"}");
        long before = test.requests("/cgi-bin/user/create");
        ActionError zh = failure(test.host.execute("user_create", input));
        assertEquals(List.of("/mobile", "/email"), zh.fieldErrors().stream().map(FieldError::pointer).toList());
        assertEquals("须至少填写其一：手机号码（mobile）、邮箱（email）", zh.fieldErrors().get(1).message().substring("/email: ".length()));
        assertTrue(zh.message().startsWith("输入有误（1 处）"), zh.message());
        ActionError en = failure(test.host.execute("user_create", input, new ExecuteOptions(null, Locale.ENGLISH)));
        assertTrue(en.message().startsWith("Input is invalid (1 error)"), en.message());
        assertEquals(before, test.requests("/cgi-bin/user/create"), "nothing was sent");
    }

    @Test
    void contentThatIsNotBase64IsRefusedNotUploaded() {
        long before = test.requests("/cgi-bin/media/upload");
        ActionError notBase64 = failure(test.execute("media_upload",
                "{\"type\": \"file\", \"filename\": \"a.txt\", \"content\": \"这不是 base64!\"}"));
        assertEquals("/content: 须为 base64 编码的文件内容", notBase64.fieldErrors().get(0).message());
        // in the alphabet but not base64 (a lenient decoder would skip the stray '=' and upload junk)
        ActionError broken = failure(test.execute("media_upload",
                "{\"type\": \"file\", \"filename\": \"a.txt\", \"content\": \"QUJD=REVG\"}"));
        assertEquals(ErrorCode.INVALID_INPUT, broken.code());
        assertEquals("/content", broken.fieldErrors().get(0).pointer());
        assertEquals(before, test.requests("/cgi-bin/media/upload"));
        test.success("media_upload", "{\"type\": \"file\", \"filename\": \"a.txt\", \"content\": \"QUJD\\nREVG\"}");
    }

    @Test
    void anErrcodeAboutAFieldNamesIt() {
        ActionError taken = failure(test.execute("user_create",
                "{\"userid\": \"taken\", \"name\": \"重复\", \"mobile\": \"13800000001\"}"));
        assertEquals("60104", taken.upstreamCode());
        assertEquals(List.of("/mobile"), taken.fieldErrors().stream().map(FieldError::pointer).toList());
        assertTrue(taken.fieldErrors().get(0).message().contains("手机号已被其他成员使用"), taken.fieldErrors().toString());
        ActionError unknown = failure(test.execute("user_get", "{\"userid\": \"nobody\"}"));
        assertEquals(List.of("/userid"), unknown.fieldErrors().stream().map(FieldError::pointer).toList());
    }

    private ActionError failure(ExecutionResult result) {
        assertTrue(result instanceof ExecutionResult.Failure, "expected a failure: " + result);
        return ((ExecutionResult.Failure) result).error();
    }
}
