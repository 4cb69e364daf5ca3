package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The host's public API is the package {@code dev.connectorruntime.host} and nothing else: it exposes
 * exactly the intended types, none of its public signatures names a type of the host's sub-packages
 * (which are public only so that the host's packages reach each other), and each sub-package says in
 * its package documentation that it is not API.
 */
class PublicApiTest {
    private static final String API = "dev.connectorruntime.host";
    private static final Set<String> INTENDED = Set.of(
            "ConnectorHost", "ConnectorHost$Builder", "ConnectorHost$StartupTimings",
            "ExecuteOptions", "ExecuteOptions$Pages", "RetryPolicy");
    /**
     * Internal types the API names on purpose, each with its reason. The embedded store is handed to
     * the host's own packages (triggers, connections) through the host that opened it.
     */
    private static final Set<String> DELIBERATE = Set.of(
            "dev.connectorruntime.host.ConnectorHost.store() names dev.connectorruntime.host.store.EmbeddedStore",
            // the trigger event log and its delivery, opened lazily by the host, for the API server and CLI
            "dev.connectorruntime.host.ConnectorHost.eventLog() names dev.connectorruntime.host.triggers.EventLog",
            "dev.connectorruntime.host.ConnectorHost.delivery() names dev.connectorruntime.host.triggers.EventDelivery",
            // trigger events and their filter are the contract between the host's event log and its consumers
            "dev.connectorruntime.host.ConnectorHost.subscribe() names dev.connectorruntime.host.triggers.InProcessSubscription",
            "dev.connectorruntime.host.ConnectorHost.subscribe(...) names dev.connectorruntime.host.triggers.EventFilter",
            "dev.connectorruntime.host.ConnectorHost.subscribe(...) names dev.connectorruntime.host.triggers.TriggerEvent",
            "dev.connectorruntime.host.ConnectorHost.triggerService() names dev.connectorruntime.host.triggers.TriggerService");

    @Test
    void theApiPackageExposesOnlyTheIntendedTypes() throws Exception {
        Set<String> exposed = new TreeSet<>();
        for (Class<?> type : apiTypes()) {
            if (isExported(type)) {
                exposed.add(type.getName().substring(API.length() + 1));
            }
        }
        assertEquals(new TreeSet<>(INTENDED), exposed);
    }

    @Test
    void noInternalTypeLeaksThroughTheApi() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            if (!isExported(type)) {
                continue;
            }
            check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
            for (Type implemented : type.getGenericInterfaces()) {
                check(type.getName() + " implements", implemented, leaks);
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) {
                    check(type.getName() + "." + field.getName(), field.getGenericType(), leaks);
                }
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    check(type.getName() + "." + component.getName(), component.getGenericType(), leaks);
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (visible(method.getModifiers()) && !method.isSynthetic()) {
                    check(type.getName() + "." + method.getName() + "()", method.getGenericReturnType(), leaks);
                    checkParameters(type.getName() + "." + method.getName(), method, leaks);
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                    checkParameters(type.getName() + ".<init>", constructor, leaks);
                }
            }
        }
        leaks.removeAll(DELIBERATE);
        assertEquals(List.of(), leaks, "internal types in public signatures of " + API);
    }

    @Test
    void everySubPackageIsDocumentedAsNotApi() throws IOException {
        Path sources = Path.of("src/main/java/dev/connectorruntime/host");
        List<String> undocumented = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(sources)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path info = dir.resolve("package-info.java");
                if (!Files.exists(info) || !Files.readString(info).contains("Not API")) {
                    undocumented.add(dir.getFileName().toString());
                }
            }
        }
        assertTrue(undocumented.isEmpty(), "sub-packages without a package-info saying 'Not API': " + undocumented);
    }

    private static void checkParameters(String where, Executable executable, List<String> leaks) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(where + "(...)", parameter, leaks);
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            check(where + " throws", thrown, leaks);
        }
    }

    private static void check(String where, Type type, List<String> leaks) {
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            String pkg = element.getPackageName();
            if (pkg.startsWith(API + ".")) {
                leaks.add(where + " names " + element.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            check(where, p.getRawType(), leaks);
            for (Type argument : p.getActualTypeArguments()) {
                check(where, argument, leaks);
            }
        } else if (type instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).forEach(t -> check(where, t, leaks));
        } else if (type instanceof GenericArrayType a) {
            check(where, a.getGenericComponentType(), leaks);
        }
    }

    private static boolean isExported(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isSynthetic();
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every class compiled into the API package (not its sub-packages), nested ones included. */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ConnectorHost.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(API.replace('.', '/'));
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                if (!name.equals("package-info")) {
                    types.add(Class.forName(API + "." + name, false, PublicApiTest.class.getClassLoader()));
                }
            }
        }
        return types;
    }
}
