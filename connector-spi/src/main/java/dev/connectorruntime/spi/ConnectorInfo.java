package dev.connectorruntime.spi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a connector is, for listings and the designer's palette.
 *
 * @param id the connector id, also the folder of its schemas
 * @param categories action categories in palette order
 * @param credentials the kinds of credential a connection may hold, each with how it authenticates
 * @param actionRateLimitPerMinute the upstream's documented limit of calls per minute to one API
 *     method by one tenant (null when it documents none); an action's own limit overrides it
 * @param docLabel how the connector's own documentation links are introduced (for WeCom "WeCom doc");
 *     default "Documentation"
 */
public record ConnectorInfo(
        String id,
        String title,
        String titleEn,
        String description,
        String docUrl,
        List<Category> categories,
        List<CredentialKind> credentials,
        Integer actionRateLimitPerMinute,
        String docLabel) {

    public ConnectorInfo {
        Objects.requireNonNull(id, "id is missing");
        categories = categories == null ? List.of() : List.copyOf(categories);
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        docLabel = docLabel == null ? "Documentation" : docLabel;
    }

    /** The credential kind called {@code kind}, if the connector has it. */
    public Optional<CredentialKind> credential(String kind) {
        return credentials.stream().filter(c -> c.kind().equals(kind)).findFirst();
    }

    /** A group of actions in the palette. */
    public record Category(String id, String title, String titleEn) {}

    /**
     * A kind of credential a connection may hold (for WeCom: app, contact, externalcontact, school).
     *
     * @param authentication how it authenticates; default {@link Authentication#CONNECTOR} (the
     *     connector's hook)
     */
    public record CredentialKind(@JsonProperty(required = true) String kind, String title, String titleEn,
                                 Authentication authentication) {
        public CredentialKind {
            Objects.requireNonNull(kind, "credentials[].kind is missing");
            authentication = authentication == null ? Authentication.CONNECTOR : authentication;
        }
    }
}
