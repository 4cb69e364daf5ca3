package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestFactory;

/**
 * Invalid input never reaches WeCom: every action rejects an unknown field and a missing required
 * field with an error naming the field by JSON Pointer and the rule, and the sandbox sees nothing.
 */
@ExtendWith(TestHostExtension.class)
class InvalidInputIT {
    private final TestHost test;

    InvalidInputIT(TestHost test) {
        this.test = test;
    }

    @TestFactory
    Stream<DynamicTest> everyActionRejectsAnUnknownFieldAndEachMissingRequiredField() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ActionDescriptor action : test.host.actions()) {
            ObjectNode example = (ObjectNode) action.examples().get(0).input();
            ObjectNode typo = example.deepCopy();
            typo.put("no_such_field", "x");
            tests.add(DynamicTest.dynamicTest(action.id() + ": unknown field", () ->
                    assertRejected(action.id(), typo, "/no_such_field", "additionalProperties")));
            for (JsonNode required : action.input().path("required")) {
                String field = required.asText();
                if (action.connectionDefaults().containsKey(field) || !example.has(field)) {
                    continue;
                }
                ObjectNode missing = example.deepCopy();
                missing.remove(field);
                tests.add(DynamicTest.dynamicTest(action.id() + ": missing " + field, () ->
                        assertRejected(action.id(), missing, "/" + field, "required")));
            }
        }
        return tests.stream();
    }

    @Test
    void errorsInsideTheChosenMessageTypeAreReportedAtTheirField() {
        FieldError error = assertRejected("message_send",
                TestHost.json("{\"touser\": \"zhangsan\", \"msgtype\": \"textcard\", \"textcard\": {\"title\": \"t\", \"description\": \"d\"}}"),
                "/textcard/url", "required");
        assertTrue(error.message().startsWith("/textcard/url"), error.message());
    }

    @Test
    void messagesAreChineseByDefaultAndEnglishOnRequest() throws Exception {
        JsonNode input = TestHost.json("{\"userid\": \"\"}");
        String chinese = test.host.validate("user_get", input, ExecuteOptions.DEFAULTS).get(0).message();
        String english = test.host.validate("user_get", input, ExecuteOptions.DEFAULTS.withLocale(Locale.ENGLISH)).get(0).message();
        assertTrue(chinese.startsWith("/userid: ") && chinese.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN), chinese);
        assertTrue(english.startsWith("/userid: ") && english.contains("must be at least 1"), english);
    }

    @Test
    void aNonObjectInputAndAnUnknownActionAreClearErrors() {
        ExecutionResult.Failure notObject = assertInstanceOf(ExecutionResult.Failure.class, test.host.execute("user_get", TestHost.json("[1]")));
        assertEquals(ErrorCode.INVALID_INPUT, notObject.error().code());
        ExecutionResult.Failure unknown = assertInstanceOf(ExecutionResult.Failure.class, test.host.execute("user_gte", TestHost.json("{}")));
        assertEquals(ErrorCode.UNKNOWN_ACTION, unknown.error().code());
        assertTrue(unknown.error().message().contains("user_gte"));
    }

    private FieldError assertRejected(String action, JsonNode input, String pointer, String rule) {
        long before = test.admin.apiRequests();
        ExecutionResult result = test.host.execute(action, input);
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class, result, () -> action + " accepted " + input);
        assertEquals(ErrorCode.INVALID_INPUT, failure.error().code());
        assertEquals(0, failure.attempts());
        assertEquals(before, test.admin.apiRequests(), "nothing was sent upstream");
        FieldError match = failure.error().fieldErrors().stream()
                .filter(e -> e.pointer().equals(pointer) && e.rule().equals(rule)).findFirst()
                .orElseThrow(() -> new AssertionError(action + ": expected " + rule + " at " + pointer + ", got " + failure.error().fieldErrors()));
        assertFalse(match.message().isBlank());
        return match;
    }
}
