package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;
import java.util.List;

/**
 * Compiles JSON Schemas (draft 2020-12) once, eagerly, so a broken schema fails at start-up and each
 * validation only runs the compiled validators. Compiled schemas are safe to share across threads.
 */
public final class SchemaCompiler {
    /** Our annotation keywords (messages and hints for people and forms): known, never validated. */
    static final List<String> ANNOTATIONS = List.of("x-patternMessage", "x-unixSeconds", "x-maxBytes", "x-link");
    private static final Dialect DIALECT = Dialect.builder(Dialects.getDraft202012())
            .keywords(ANNOTATIONS.stream().map(AnnotationKeyword::new).toList())
            .build();

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(DIALECT,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_POINTER)
                    .formatAssertionsEnabled(true)
                    .build()));

    public Schema compile(JsonNode schema, String origin) {
        try {
            Schema compiled = registry.getSchema(schema);
            compiled.initializeValidators();
            return compiled;
        } catch (RuntimeException e) {
            throw new IllegalStateException(origin + ": invalid JSON Schema: " + e.getMessage(), e);
        }
    }
}
