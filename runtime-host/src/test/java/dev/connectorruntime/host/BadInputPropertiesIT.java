package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.format.InputParser;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input, generated: for every action, payloads mutated from its example (a wrong type, a
 * huge string or array, deep nesting, an unknown field, a missing required field, a non-object),
 * random bytes and malformed JSON, and unknown action ids. Each gets a clear input error, nothing is
 * sent upstream, nothing crashes. Counts tried are written to target/bad-input-report.txt.
 */
class BadInputPropertiesIT {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, AtomicLong> TRIED = new ConcurrentHashMap<>();
    private static TestHost test;
    private static List<ActionDescriptor> actions;

    @BeforeContainer
    static void start() {
        test = TestHost.start();
        actions = test.host.actions();
    }

    @AfterContainer
    static void stop() throws IOException {
        test.close();
        StringBuilder report = new StringBuilder("bad-input payloads tried, by kind\n");
        new java.util.TreeMap<>(TRIED).forEach((k, v) -> report.append(k).append('\t').append(v.get()).append('\n'));
        Files.writeString(Path.of("target", "bad-input-report.txt"), report.toString());
        System.out.print(report);
    }

    enum Mutation { WRONG_TYPE, HUGE_STRING, HUGE_ARRAY, DEEP_NESTING, UNKNOWN_FIELD, MISSING_REQUIRED, NOT_AN_OBJECT }

    @Provide
    Arbitrary<ActionDescriptor> anyAction() {
        return Arbitraries.of(actions);
    }

    @Property(tries = 400)
    void mutatedPayloadsAreRejectedWithFieldErrorsAndNeverSent(@ForAll("anyAction") ActionDescriptor action,
                                                               @ForAll Mutation mutation, @ForAll("seeds") int seed) {
        JsonNode payload = mutate(action, mutation, new java.util.Random(seed));
        if (payload == null) {
            return; // this action has no field the mutation applies to
        }
        TRIED.computeIfAbsent(mutation.name(), k -> new AtomicLong()).incrementAndGet();
        assertRejectedWithoutSending(action.id(), payload, ErrorCode.INVALID_INPUT);
    }

    @Provide
    Arbitrary<Integer> seeds() {
        return Arbitraries.integers();
    }

    @Property(tries = 200)
    void randomBytesAndMalformedJsonAreInputErrors(@ForAll("garbage") byte[] bytes) {
        TRIED.computeIfAbsent("RAW_BYTES", k -> new AtomicLong()).incrementAndGet();
        JsonNode parsed;
        try {
            parsed = InputParser.parse(bytes);
        } catch (ActionException e) {
            assertEquals(ErrorCode.INVALID_INPUT, e.error().code());
            assertFalse(e.error().fieldErrors().get(0).message().isBlank());
            return;
        }
        assertRejectedWithoutSending("user_create", parsed, ErrorCode.INVALID_INPUT);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> invalidUtf8 = Arbitraries.of("{\"name\": \"\u00ff\"}", "{\"userid\": \"a\"}")
                .map(s -> {
                    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                    b[b.length - 3] = (byte) 0xC3; // a lead byte followed by a quote: invalid UTF-8
                    return b;
                });
        Arbitrary<byte[]> truncated = Arbitraries.of("{\"userid\": \"zhangsan\"", "{\"a\": [1, 2", "{\"a\": 1}{", "{\"a\":1,\"a\":2}", "", "   ", "nul")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, invalidUtf8, truncated);
    }

    @Property(tries = 100)
    void unknownActionIdsAreClearErrors(@ForAll("actionIds") String id) {
        TRIED.computeIfAbsent("UNKNOWN_ACTION", k -> new AtomicLong()).incrementAndGet();
        assertRejectedWithoutSending(id, NODES.objectNode(), ErrorCode.UNKNOWN_ACTION);
    }

    @Provide
    Arbitrary<String> actionIds() {
        return Arbitraries.strings().ofMaxLength(300).filter(s -> actions.stream().noneMatch(a -> a.id().equals(s)));
    }

    private static void assertRejectedWithoutSending(String action, JsonNode payload, ErrorCode expected) {
        long before = test.admin.apiRequests();
        ExecutionResult result = test.host.execute(action, payload);
        ExecutionResult.Failure failure = assertInstanceOf(ExecutionResult.Failure.class, result,
                () -> action + " accepted " + abbreviate(payload));
        assertEquals(expected, failure.error().code(), () -> action + ": " + failure.error());
        if (expected == ErrorCode.INVALID_INPUT) {
            assertFalse(failure.error().fieldErrors().isEmpty());
            for (FieldError error : failure.error().fieldErrors()) {
                assertTrue(error.pointer().isEmpty() || error.pointer().startsWith("/"), error.pointer());
                assertFalse(error.rule().isBlank());
                assertFalse(error.message().isBlank());
            }
        }
        assertEquals(before, test.admin.apiRequests(), "nothing sent upstream");
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** A payload that breaks the action's schema in the given way, or null when it cannot apply. */
    static JsonNode mutate(ActionDescriptor action, Mutation mutation, java.util.Random random) {
        ObjectNode example = ((ObjectNode) action.examples().get(0).input()).deepCopy();
        JsonNode properties = action.input().path("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        switch (mutation) {
            case NOT_AN_OBJECT:
                return List.of(NODES.arrayNode(), NODES.textNode("x"), NODES.numberNode(1), NODES.nullNode(), NODES.booleanNode(true))
                        .get(random.nextInt(5));
            case UNKNOWN_FIELD:
                example.put("x_" + Integer.toHexString(random.nextInt()), random.nextInt());
                return example;
            case MISSING_REQUIRED: {
                List<String> required = new ArrayList<>();
                action.input().path("required").forEach(r -> {
                    if (!action.connectionDefaults().containsKey(r.asText())) {
                        required.add(r.asText());
                    }
                });
                if (required.isEmpty()) {
                    return null;
                }
                example.remove(required.get(random.nextInt(required.size())));
                return example;
            }
            case WRONG_TYPE: {
                List<String> typed = names.stream().filter(n -> properties.get(n).path("type").isTextual()).toList();
                if (typed.isEmpty()) {
                    return null;
                }
                String name = typed.get(random.nextInt(typed.size()));
                example.set(name, wrongTypeFor(properties.get(name).get("type").asText()));
                return example;
            }
            case HUGE_STRING: {
                List<String> limited = names.stream().filter(n -> properties.get(n).has("maxLength")).toList();
                if (limited.isEmpty()) {
                    return null;
                }
                String name = limited.get(random.nextInt(limited.size()));
                example.put(name, "长".repeat(properties.get(name).get("maxLength").asInt() + 1 + random.nextInt(20_000)));
                return example;
            }
            case HUGE_ARRAY: {
                List<String> limited = names.stream().filter(n -> properties.get(n).has("maxItems")).toList();
                if (limited.isEmpty()) {
                    return null;
                }
                String name = limited.get(random.nextInt(limited.size()));
                ArrayNode huge = example.putArray(name);
                int size = properties.get(name).get("maxItems").asInt() + 1 + random.nextInt(3_000);
                for (int i = 0; i < size; i++) {
                    huge.add(i);
                }
                return example;
            }
            case DEEP_NESTING: {
                ObjectNode deep = NODES.objectNode();
                ObjectNode cursor = deep;
                for (int i = 0; i < 500 + random.nextInt(2000); i++) {
                    cursor = cursor.putObject("n");
                }
                example.set("x_deep", deep);
                return example;
            }
            default:
                throw new IllegalStateException();
        }
    }

    private static JsonNode wrongTypeFor(String type) {
        return switch (type) {
            case "string" -> NODES.numberNode(42);
            case "integer", "number" -> NODES.textNode("not a number");
            case "boolean" -> NODES.textNode("yes");
            case "array" -> NODES.objectNode().put("not", "an array");
            case "object" -> NODES.arrayNode().add(1);
            default -> NODES.nullNode();
        };
    }
}
