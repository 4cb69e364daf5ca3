package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

/**
 * Compiles JSON Schemas (draft 2020-12) once, eagerly, so a broken schema fails at start-up and each
 * validation only runs the compiled validators. Compiled schemas are safe to share across threads.
 */
public final class SchemaCompiler {
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
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
