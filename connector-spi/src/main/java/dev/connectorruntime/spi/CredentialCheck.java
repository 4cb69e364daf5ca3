package dev.connectorruntime.spi;

/**
 * The result of checking one secret of a connection.
 *
 * @param kind the secret kind (for WeCom: app, contact, externalcontact, school)
 * @param ok whether the upstream accepted it
 * @param error why not, or null when ok
 */
public record CredentialCheck(String kind, boolean ok, ActionError error) {}
