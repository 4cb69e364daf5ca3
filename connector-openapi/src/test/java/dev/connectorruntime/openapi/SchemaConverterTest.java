package dev.connectorruntime.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.openapi.SchemaConverter.Direction;
import org.junit.jupiter.api.Test;

/** OpenAPI schema objects in draft 2020-12 terms. */
class SchemaConverterTest {
    private static final String V30 = """
            openapi: 3.0.3
            info: {title: t, version: '1'}
            paths: {}
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    name: {type: string, nullable: true, example: root}
                    children: {type: array, items: {$ref: '#/components/schemas/Node'}}
                    id: {type: integer, format: int64, readOnly: true}
                    secret: {type: string, format: password, writeOnly: true}
                    size: {type: integer, format: int32, minimum: 0, exclusiveMinimum: true}
                    kind: {type: string, enum: [a, b], nullable: true}
                    photo: {type: string, format: binary}
                  required: [id, name]
                  xml: {name: node}
                  discriminator: {propertyName: kind}
            """;

    private static ObjectNode convert(String yaml, Direction direction, String pointer) {
        OpenApiDocument document = OpenApiDocument.parse(yaml, "test");
        return new SchemaConverter(document, direction).convert(document.root().at(pointer));
    }

    @Test
    void recursiveReferenceIsExpandedOnceThenLeftOpen() {
        ObjectNode node = convert(V30, Direction.OUTPUT, "/components/schemas/Node");
        JsonNode child = node.at("/properties/children/items");
        assertEquals("object", child.path("type").asText(), "one level inlined");
        JsonNode grandchild = child.at("/properties/children/items");
        assertFalse(grandchild.has("type"), "the recursion stops: anything is accepted there");
        assertTrue(grandchild.path("description").asText().contains("Node"));
    }

    @Test
    void openApi30KeywordsBecome202012() {
        ObjectNode node = convert(V30, Direction.OUTPUT, "/components/schemas/Node");
        assertEquals("[\"string\",\"null\"]", node.at("/properties/name/type").toString());
        assertEquals("[\"root\"]", node.at("/properties/name/examples").toString());
        assertEquals("[\"a\",\"b\",null]", node.at("/properties/kind/enum").toString());
        assertEquals(0, node.at("/properties/size/exclusiveMinimum").asInt());
        assertFalse(node.at("/properties/size").has("minimum"));
        assertEquals(Integer.MAX_VALUE, node.at("/properties/size/maximum").asInt(), "int32 as bounds");
        assertFalse(node.at("/properties/id").has("format"), "int64 is not a 2020-12 format");
        assertEquals("base64", node.at("/properties/photo/contentEncoding").asText());
        assertFalse(node.has("xml") || node.has("discriminator"), "OpenAPI-only keywords dropped");
    }

    @Test
    void readOnlyFieldsLeaveInputsAndWriteOnlyFieldsLeaveOutputs() {
        ObjectNode input = convert(V30, Direction.INPUT, "/components/schemas/Node");
        assertFalse(input.at("/properties").has("id"));
        assertEquals("[\"name\"]", input.get("required").toString(), "no longer required either");
        assertTrue(input.at("/properties").has("secret"));
        ObjectNode output = convert(V30, Direction.OUTPUT, "/components/schemas/Node");
        assertTrue(output.at("/properties").has("id"));
        assertFalse(output.at("/properties").has("secret"));
    }

    @Test
    void openApi31SchemasKeepTheirTypesAndRefSiblings() {
        String v31 = """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                paths: {}
                components:
                  schemas:
                    Id: {type: [string, 'null'], examples: [abc]}
                    Holder:
                      type: object
                      properties:
                        id: {$ref: '#/components/schemas/Id', description: The holder's id}
                """;
        ObjectNode holder = convert(v31, Direction.INPUT, "/components/schemas/Holder");
        assertEquals("[\"string\",\"null\"]", holder.at("/properties/id/type").toString());
        assertEquals("The holder's id", holder.at("/properties/id/description").asText());
        assertEquals("abc", holder.at("/properties/id/examples/0").asText());
    }
}
