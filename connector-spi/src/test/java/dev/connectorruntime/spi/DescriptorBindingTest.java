package dev.connectorruntime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Descriptors are bound into typed records when read; every mistake fails then, naming where it is. */
class DescriptorBindingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = """
            {"id": "pets_list", "title": "List pets", "category": "main", "credential": "any", "safeToRepeat": true,
             "http": {"method": "GET", "path": "/pets", "body": "none"},
             "paging": {"style": "cursor", "items": "items", "cursorParam": "after", "nextCursorField": "next"},
             "input": {"type": "object"}, "output": {"type": "object"}}
            """;

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static String failure(String mutatedFrom, String from, String to) throws Exception {
        ObjectNode node = json(mutatedFrom.replace(from, to));
        return assertThrows(IllegalStateException.class, () -> CatalogResources.descriptor(node, "pets_list.json")).getMessage();
    }

    @Test
    void aValidDescriptorBindsToEnumsAndKeepsItsSource() throws Exception {
        ActionDescriptor action = CatalogResources.descriptor(json(VALID), "pets_list.json");
        assertEquals(HttpMethod.GET, action.http().method());
        assertEquals(BodyStyle.NONE, action.http().body());
        assertEquals(PagingStyle.CURSOR, action.paging().style());
        assertEquals(json(VALID), action.source());
        assertTrue(action.options().isEmpty() && action.examples().isEmpty() && action.connectionDefaults().isEmpty());
    }

    @Test
    void anUnknownMethodIsNamedWithItsLocation() throws Exception {
        String message = failure(VALID, "\"GET\"", "\"FETCH\"");
        assertTrue(message.startsWith("pets_list.json: invalid descriptor at /http/method: "), message);
        assertTrue(message.contains("FETCH"), message);
    }

    @Test
    void anUnknownBodyStyleOrPagingStyleIsRefused() throws Exception {
        assertTrue(failure(VALID, "\"none\"", "\"xml\"").contains("at /http/body"));
        assertTrue(failure(VALID, "\"cursor\"", "\"page\"").contains("at /paging/style"));
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws Exception {
        String message = failure(VALID, "\"title\": \"List pets\", ", "");
        assertTrue(message.contains("title"), message);
        assertTrue(failure(VALID, ", \"path\": \"/pets\"", "").contains("path"));
    }

    @Test
    void aMisspeltFieldIsRefused() throws Exception {
        String message = failure(VALID, "\"paging\"", "\"pagign\"");
        assertTrue(message.contains("at /pagign") && message.contains("Unrecognized field"), message);
        assertTrue(failure(VALID, "\"safeToRepeat\"", "\"safeToRepaet\"").contains("safeToRepeat"));
    }

    @Test
    void pagingWithoutItsParametersIsRefused() throws Exception {
        String message = failure(VALID, ", \"cursorParam\": \"after\"", "");
        assertTrue(message.contains("paging style 'cursor' needs cursorParam and nextCursorField"), message);
    }

    @Test
    void anApiKeyWithoutWhereItGoesIsRefused() throws Exception {
        ObjectNode connector = json("""
                {"id": "pets", "title": "Pets", "categories": [], "credentials": [
                  {"kind": "key", "authentication": {"type": "apiKey", "name": "X-API-Key"}}]}""");
        String message = assertThrows(IllegalStateException.class, () -> CatalogResources.info(connector, "connector.json")).getMessage();
        assertTrue(message.contains("/credentials/0/authentication") && message.contains("needs 'in'"), message);
    }
}
