package dev.connectorruntime.host.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every annotation keyword the descriptors use is known to the compiler, so none is warned about as unknown. */
class SchemaKeywordsTest {
    private static final Pattern KEYWORD = Pattern.compile("\"(x-[A-Za-z]+)\"\\s*:");

    @Test
    void everyAnnotationKeywordInTheSchemasIsDeclared() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("..", "schemas"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Matcher matcher = KEYWORD.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        assertTrue(used.contains("x-link"), "the scan finds the keywords: " + used);
        assertTrue(SchemaCompiler.ANNOTATIONS.containsAll(used), "undeclared: " + used + " vs " + SchemaCompiler.ANNOTATIONS);
    }
}
