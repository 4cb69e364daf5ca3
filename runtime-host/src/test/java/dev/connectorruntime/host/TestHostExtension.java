package dev.connectorruntime.host;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link TestHost} per test class: started before its first test (the packaged plugins, a running
 * sandbox as the default connection), the sandbox reset to its seed before each test, closed after the
 * last. A test class takes it as a constructor or method parameter:
 *
 * <pre>{@code
 * @ExtendWith(TestHostExtension.class)
 * class SomeIT {
 *     private final TestHost test;
 *
 *     SomeIT(TestHost test) {
 *         this.test = test;
 *     }
 * }
 * }</pre>
 */
final class TestHostExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestHostExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        host(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        host(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return host(context);
    }

    /** The class's host, started on first use and closed with the class's store. */
    private static TestHost host(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElseThrow() : context;
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("host", key -> new Closing(TestHost.start()), Closing.class).host();
    }

    /** Closes the host when JUnit closes the class's store. */
    private record Closing(TestHost host) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            host.close();
        }
    }
}
