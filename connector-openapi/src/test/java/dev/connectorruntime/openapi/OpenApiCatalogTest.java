package dev.connectorruntime.openapi;

import static dev.connectorruntime.openapi.TestDocuments.action;
import static dev.connectorruntime.openapi.TestDocuments.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Published documents translated: one action per operation, with the binding, schemas and examples they say. */
class OpenApiCatalogTest {

    @Test
    void petstoreHasOneActionPerOperationNamedByOperationId() {
        OpenApiCatalog petstore = TestDocuments.catalog("petstore.connector.json");
        assertEquals(19, petstore.actions().size());
        assertEquals("petstore.get_pet_by_id", petstore.actions().get(4).get("id").asText());
        assertEquals(List.of("pet", "store", "user"), List.copyOf(petstore.categories().keySet()));
        assertEquals("宠物商店", petstore.title());
        assertEquals("Swagger Petstore", petstore.titleEn());
        assertEquals("https://petstore3.swagger.io/api/v3", petstore.baseUrl());
    }

    @Test
    void pathParameterIsARequiredFieldAndReadsAreSafeToRepeat() {
        ObjectNode get = action(TestDocuments.catalog("petstore.connector.json"), "petstore.get_pet_by_id");
        assertEquals("GET", get.at("/http/method").asText());
        assertEquals("/pet/{petId}", get.at("/http/path").asText());
        assertEquals("integer", get.at("/input/properties/petId/type").asText());
        assertEquals("ID of pet to return", get.at("/input/properties/petId/description").asText());
        assertEquals(List.of("petId"), strings(get.at("/input/required")));
        assertFalse(get.at("/input/additionalProperties").asBoolean(true));
        assertTrue(get.get("safeToRepeat").asBoolean());
        assertEquals("Find pet by ID.", get.get("title").asText());
        assertEquals("Returns a single pet.", get.get("description").asText());
        assertEquals("pet", get.get("category").asText());
        assertEquals("object", get.at("/output/type").asText());
        assertEquals("doggie", get.at("/output/properties/name/examples/0").asText(), "3.0 example became examples");
    }

    @Test
    void jsonBodyPropertiesSitBesideTheParameters() {
        ObjectNode add = action(TestDocuments.catalog("petstore.connector.json"), "petstore.add_pet");
        assertEquals("POST", add.at("/http/method").asText());
        assertEquals("json", add.at("/http/body").asText());
        assertFalse(add.get("safeToRepeat").asBoolean());
        assertEquals(List.of("name", "photoUrls"), strings(add.at("/input/required")));
        assertEquals("string", add.at("/input/properties/category/properties/name/type").asText(), "$ref inlined");
        assertEquals(List.of("available", "pending", "sold"), strings(add.at("/input/properties/status/enum")));
    }

    @Test
    void headerQueryAndRawBodiesBindWhereTheDocumentSays() {
        OpenApiCatalog petstore = TestDocuments.catalog("petstore.connector.json");
        ObjectNode delete = action(petstore, "petstore.delete_pet");
        assertEquals(List.of("api_key"), strings(delete.at("/http/headers")));
        assertFalse(delete.get("safeToRepeat").asBoolean());
        ObjectNode byTags = action(petstore, "petstore.find_pets_by_tags");
        assertEquals(List.of("tags"), strings(byTags.at("/http/query")));
        assertEquals("array", byTags.at("/input/properties/tags/type").asText());
        assertEquals("array", byTags.at("/output/type").asText());
        ObjectNode upload = action(petstore, "petstore.upload_file");
        assertEquals("raw", upload.at("/http/body").asText());
        assertEquals("application/octet-stream", upload.at("/http/contentType").asText());
        assertEquals("body", upload.at("/http/bodyField").asText());
        assertEquals("base64", upload.at("/input/properties/body/contentEncoding").asText());
    }

    @Test
    void securityFollowsTheDocumentAndTheConnectorFilesScheme() {
        OpenApiCatalog petstore = TestDocuments.catalog("petstore.connector.json");
        assertEquals(SecurityScheme.Kind.API_KEY, petstore.security().kind());
        assertEquals("api_key", petstore.security().parameter());
        assertEquals("header", petstore.security().in());
        assertEquals("api_key", action(petstore, "petstore.get_inventory").get("credential").asText());
        assertEquals("none", action(petstore, "petstore.place_order").get("credential").asText(),
                "an operation that states no requirement in a document that states some needs none");
        assertTrue(petstore.connectionSchema().at("/properties/secrets/properties/apiKey/writeOnly").asBoolean());

        OpenApiCatalog museum = TestDocuments.catalog("museum.connector.json");
        assertEquals(SecurityScheme.Kind.BASIC, museum.security().kind(), "the top-level requirement by default");
        assertTrue(museum.actions().stream().allMatch(a -> a.get("credential").asText().equals("MuseumPlaceholderAuth")));
        assertEquals("string", museum.connectionSchema().at("/properties/username/type").asText());

        OpenApiCatalog paypal = TestDocuments.catalog("paypal.connector.json");
        assertEquals(SecurityScheme.Kind.OAUTH2_CLIENT_CREDENTIALS, paypal.security().kind());
        assertEquals(URI.create("https://api-m.sandbox.paypal.com/v1/oauth2/token"),
                paypal.security().tokenUri(URI.create(paypal.baseUrl())));
        assertEquals(List.of("https://uri.paypal.com/services/subscriptions"), paypal.security().scopes());

        OpenApiCatalog bearer = TestDocuments.bearerCatalog();
        assertEquals(SecurityScheme.Kind.BEARER, bearer.security().kind());
        assertEquals("bearerAuth", action(bearer, "oai-non-oauth-scopes.get_users").get("credential").asText());
        assertEquals(List.of("baseUrl"), strings(bearer.connectionSchema().get("required")), "no server: the connection names one");
    }

    @Test
    void operationWithoutIdOrResponsesIsNamedByMethodAndPath() {
        OpenApiCatalog bearer = TestDocuments.bearerCatalog();
        assertEquals("oai-non-oauth-scopes", bearer.id());
        assertEquals(1, bearer.actions().size());
        ObjectNode users = bearer.actions().get(0);
        assertEquals("oai-non-oauth-scopes.get_users", users.get("id").asText());
        assertEquals("GET /users", users.get("title").asText());
        assertEquals("object", users.at("/output/type").asText());
        assertEquals(1, users.get("examples").size(), "no field to fill: the empty input is complete");
    }

    @Test
    void formBodiesAndTheirExamples() {
        OpenApiCatalog twilio = TestDocuments.catalog("twilio.connector.json");
        assertEquals(6, twilio.actions().size());
        ObjectNode update = action(twilio, "twilio.update_phone_number");
        assertEquals("form", update.at("/http/body").asText());
        assertEquals("/v2/PhoneNumbers/{PhoneNumber}", update.at("/http/path").asText());
        assertEquals(List.of("PhoneNumber", "VoiceRegion", "FriendlyName"), fieldNames(update.at("/input/properties")));
        assertEquals(List.of("string", "null"), strings(update.at("/output/properties/phone_number/type")), "3.0 nullable");
        assertEquals("+18001234567", update.at("/output/examples/0/phone_number").asText());
        assertEquals(SecurityScheme.Kind.BASIC, twilio.security().kind());
    }

    @Test
    void examplesByReferenceAreKeptForInputsAndOutputs() {
        OpenApiCatalog museum = TestDocuments.catalog("museum.connector.json");
        ObjectNode create = action(museum, "museum.create_special_event");
        JsonNode example = create.at("/examples/0/input");
        assertEquals("Mermaid Treasure Identification and Analysis", example.get("name").asText());
        assertTrue(create.at("/output/examples/0/eventId").isTextual());
        ObjectNode patch = action(museum, "museum.update_special_event");
        assertEquals("PATCH", patch.at("/http/method").asText());
        assertTrue(patch.at("/examples/0/input/eventId").isTextual(), "the path parameter's example fills the input");
        ObjectNode qr = action(museum, "museum.get_ticket_code");
        assertEquals(List.of("contentType", "content"), strings(qr.at("/output/required")), "a PNG answer");
        ObjectNode delete = action(museum, "museum.delete_special_event");
        assertEquals("object", delete.at("/output/type").asText(), "204: no content");
        assertEquals("string", museum.actions().get(0).at("/input/properties/startDate/type").asText());
    }

    @Test
    void nonObjectBodiesAndHeaderParameters() {
        OpenApiCatalog paypal = TestDocuments.catalog("paypal.connector.json");
        assertEquals(List.of("paypal.products_create", "paypal.products_list", "paypal.products_get", "paypal.products_patch"),
                paypal.actions().stream().map(a -> a.get("id").asText()).toList());
        ObjectNode patch = action(paypal, "paypal.products_patch");
        assertEquals("body", patch.at("/http/bodyField").asText());
        assertEquals("array", patch.at("/input/properties/body/type").asText());
        ObjectNode create = action(paypal, "paypal.products_create");
        assertTrue(strings(create.at("/http/headers")).contains("PayPal-Request-Id"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
