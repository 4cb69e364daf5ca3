package dev.connectorruntime.host;

import dev.connectorruntime.host.format.ErrorJson;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example of every action runs against a freshly reset sandbox over real HTTP, succeeds, and
 * its output conforms to the action's output schema. ({@code -Dexamples.actions=a,b} narrows the run.)
 */
class CatalogExamplesIT {
    private static TestHost test;

    @BeforeAll
    static void start() {
        test = TestHost.start();
    }

    @AfterAll
    static void stop() {
        test.close();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleExecutesAndMatchesTheOutputSchema() {
        String only = System.getProperty("examples.actions", "");
        Set<String> wanted = only.isBlank() ? Set.of() : Arrays.stream(only.split(",")).map(String::trim).collect(Collectors.toSet());
        List<DynamicTest> tests = new ArrayList<>();
        for (ActionDescriptor action : test.host.actions()) {
            if (!wanted.isEmpty() && !wanted.contains(action.id())) {
                continue;
            }
            for (ActionDescriptor.Example example : action.examples()) {
                tests.add(DynamicTest.dynamicTest(action.id() + ": " + example.title(), () -> {
                    test.reset();
                    ExecutionResult result = test.host.execute(action.id(), example.input());
                    if (result instanceof ExecutionResult.Failure failure) {
                        throw new AssertionError(action.id() + " example failed: " + ErrorJson.of(failure.error()));
                    }
                    ExecutionResult.Success success = assertInstanceOf(ExecutionResult.Success.class, result);
                    assertEquals(0, success.output().path("errcode").asInt(), "errcode");
                    List<FieldError> outputErrors = test.host.validateOutput(action.id(), success.output());
                    assertTrue(outputErrors.isEmpty(), () -> action.id() + " output " + success.output() + " breaks its schema: " + outputErrors);
                }));
            }
        }
        assertTrue(!tests.isEmpty(), "no example selected");
        return tests.stream();
    }
}
