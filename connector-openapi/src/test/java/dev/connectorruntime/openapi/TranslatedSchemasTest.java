package dev.connectorruntime.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every schema translated from the published documents compiles as draft 2020-12 the way the host
 * compiles it, and the examples the documents give validate against them.
 */
class TranslatedSchemasTest {
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).build()));

    @Test
    void everyInputExampleAndOutputExampleValidates() {
        List<String> problems = new ArrayList<>();
        int inputs = 0;
        int outputs = 0;
        for (OpenApiCatalog catalog : TestDocuments.all()) {
            for (ObjectNode action : catalog.actions()) {
                String id = action.get("id").asText();
                Schema input = compile(action.get("input"));
                Schema output = compile(action.get("output"));
                for (JsonNode example : action.get("examples")) {
                    inputs++;
                    input.validate(example.get("input")).forEach(e -> problems.add(id + " input: " + e));
                }
                for (JsonNode example : action.at("/output/examples")) {
                    outputs++;
                    output.validate(example).forEach(e -> problems.add(id + " output: " + e));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertFalse(inputs < 15, "input examples checked: " + inputs);
        assertFalse(outputs < 10, "output examples checked: " + outputs);
    }

    @Test
    void connectionSchemasCompile() {
        for (OpenApiCatalog catalog : TestDocuments.all()) {
            Schema schema = compile(catalog.connectionSchema());
            ObjectNode connection = OpenApiDocument.JSON.createObjectNode().put("name", "x").put("baseUrl", "http://127.0.0.1:1");
            assertEquals(List.of(), schema.validate(connection).stream().map(Object::toString).toList(), catalog.id());
        }
    }

    private Schema compile(JsonNode node) {
        Schema schema = registry.getSchema(node);
        schema.initializeValidators();
        return schema;
    }
}
