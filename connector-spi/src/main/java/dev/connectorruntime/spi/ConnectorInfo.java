package dev.connectorruntime.spi;

import java.util.List;

/**
 * What a connector is, for listings and the designer's palette.
 *
 * @param id the connector id, also the folder of its schemas
 * @param categories action categories in palette order
 * @param credentials the kinds of secret a connection may hold
 * @param actionRateLimitPerMinute the upstream's documented limit of calls per minute to one API
 *     method by one tenant (null when it documents none); an action's own limit overrides it
 */
public record ConnectorInfo(
        String id,
        String title,
        String titleEn,
        String description,
        String docUrl,
        List<Category> categories,
        List<CredentialKind> credentials,
        Integer actionRateLimitPerMinute) {

    public ConnectorInfo {
        categories = List.copyOf(categories);
        credentials = List.copyOf(credentials);
    }

    /** A group of actions in the palette. */
    public record Category(String id, String title, String titleEn) {}

    /** A kind of secret a connection may hold (for WeCom: app, contact, externalcontact, school). */
    public record CredentialKind(String kind, String title, String titleEn) {}
}
