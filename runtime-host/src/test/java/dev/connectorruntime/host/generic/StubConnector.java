package dev.connectorruntime.host.generic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.CatalogResources;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Connector;
import dev.connectorruntime.spi.ConnectorContext;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.UpstreamError;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A connector of a plain REST API, written as any third party would: its catalog is data (a
 * connector.json with credential kinds that authenticate by standard schemes, descriptors), and its
 * only code is how to read a response: 2xx is success, 401 a rejected credential, anything else an
 * upstream error by status.
 */
final class StubConnector implements Connector {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorInfo info;
    private final List<ActionDescriptor> actions;

    /** A connector {@code id} whose actions are {@code <id>_<name>} for each descriptor body given as {@code name -> json}. */
    StubConnector(String id, String credentialsJson, String... descriptors) {
        info = CatalogResources.info((ObjectNode) read("{\"id\":\"" + id + "\",\"title\":\"" + id + "\",\"docLabel\":\"" + id + " reference\","
                + "\"categories\":[{\"id\":\"main\",\"title\":\"Main\"}],\"credentials\":" + credentialsJson + "}"), id + " connector.json");
        actions = new ArrayList<>();
        for (String descriptor : descriptors) {
            actions.add(CatalogResources.descriptor((ObjectNode) read(descriptor), id + " test descriptor"));
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ConnectorInfo info() {
        return info;
    }

    @Override
    public List<ActionDescriptor> actions() {
        return actions;
    }

    @Override
    public JsonNode connectionSchema() {
        return read("{\"type\":\"object\",\"required\":[\"baseUrl\"],\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"connector\":{\"type\":\"string\"},\"baseUrl\":{\"type\":\"string\"},\"secrets\":{\"type\":\"object\"},"
                + "\"username\":{\"type\":\"string\"},\"clientId\":{\"type\":\"string\"}},\"additionalProperties\":false}");
    }

    @Override
    public void start(ConnectorContext context) {}

    @Override
    public Credential authenticate(ActionDescriptor action, Connection connection) {
        throw new IllegalStateException("every credential kind of this connector is a standard scheme");
    }

    @Override
    public void invalidate(Credential credential) {
        throw new IllegalStateException("every credential kind of this connector is a standard scheme");
    }

    @Override
    public Verdict classify(ActionDescriptor action, UpstreamResponse response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        if (response.status() / 100 == 2) {
            return new Verdict.Success(body);
        }
        ActionError error = ActionError.of(response.status() == 401 ? ErrorCode.AUTH_FAILED : ErrorCode.UPSTREAM_ERROR,
                action.id() + " failed with HTTP " + response.status(),
                new UpstreamError(body.path("code").asText(null), body.path("message").asText(null), response.status(), null),
                null, false);
        return response.status() == 401 ? new Verdict.CredentialRejected(error) : new Verdict.Failed(error);
    }

    /** Reports one check named after this connector, so a test sees which connector was asked. */
    @Override
    public List<CredentialCheck> checkConnection(Connection connection) {
        return List.of(new CredentialCheck(info.id(), true, null));
    }
}
