package dev.connectorruntime.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.Authentication;
import dev.connectorruntime.spi.BodyStyle;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory over a connectors folder: each document a connector in the SPI's terms. */
class OpenApiConnectorFactoryTest {

    private static List<Connector> connectors() throws IOException {
        try (Stream<Path> files = Files.list(TestDocuments.folder())) {
            return new OpenApiConnectorFactory().connectors(files.sorted().toList());
        }
    }

    @Test
    void everyDocumentIsAConnectorWhoseDescriptorsBind() throws IOException {
        Map<String, Integer> actions = connectors().stream()
                .collect(Collectors.toMap(c -> c.info().id(), c -> c.actions().size()));
        assertEquals(Map.of("petstore", 19, "museum", 8, "paypal", 4, "twilio", 6, "oai-non-oauth-scopes", 1), actions);
    }

    @Test
    void bindingsAndAuthenticationInTheSpisTerms() throws IOException {
        Map<String, Connector> byId = connectors().stream().collect(Collectors.toMap(c -> c.info().id(), c -> c));
        ActionDescriptor upload = find(byId.get("petstore"), "petstore.upload_file");
        assertEquals(HttpMethod.POST, upload.http().method());
        assertEquals(BodyStyle.RAW, upload.http().body());
        assertEquals("application/octet-stream", upload.http().contentType());
        assertEquals(BodyStyle.NONE, find(byId.get("petstore"), "petstore.update_pet_with_form").http().body());
        assertEquals(BodyStyle.FORM, find(byId.get("twilio"), "twilio.update_phone_number").http().body());

        Authentication apiKey = byId.get("petstore").info().credential("api_key").orElseThrow().authentication();
        assertEquals(Authentication.Type.API_KEY, apiKey.type());
        assertEquals(Credential.Location.HEADER, apiKey.in());
        assertEquals("api_key", apiKey.name());
        assertEquals("apiKey", apiKey.secret());
        Authentication oauth = byId.get("paypal").info().credential("Oauth2").orElseThrow().authentication();
        assertEquals(Authentication.Type.OAUTH2_CLIENT_CREDENTIALS, oauth.type());
        assertEquals("/v1/oauth2/token", oauth.tokenUrl());
        assertEquals("clientSecret", oauth.secret());
        assertEquals(Authentication.Type.BASIC,
                byId.get("twilio").info().credential("accountSid_authToken").orElseThrow().authentication().type());
        assertEquals(Authentication.Type.BEARER,
                byId.get("oai-non-oauth-scopes").info().credential("bearerAuth").orElseThrow().authentication().type());
    }

    @Test
    void aBrokenDocumentFailsNamingItsFile(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.openapi.yaml"),
                "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/nowhere'}]\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OpenApiConnectorFactory().connectors(List.of(broken)));
        assertTrue(e.getMessage().contains("broken.openapi.yaml") && e.getMessage().contains("#/nowhere"), e.getMessage());
    }

    @Test
    void filesOfOtherKindsAreIgnored(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("notes.json"), "{\"not\": \"a document\"}");
        Path text = Files.writeString(dir.resolve("README.md"), "# hello");
        assertEquals(List.of(), new OpenApiConnectorFactory().connectors(List.of(other, text)));
    }

    private static ActionDescriptor find(Connector connector, String id) {
        return connector.actions().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }
}
