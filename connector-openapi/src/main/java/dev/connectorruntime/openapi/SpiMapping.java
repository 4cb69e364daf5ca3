package dev.connectorruntime.openapi;

import dev.connectorruntime.spi.Authentication;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.Credential;
import java.util.List;
import java.util.Locale;

/** The translated catalog in the SPI's terms: connector info with its credential kind and how it authenticates. */
final class SpiMapping {
    private SpiMapping() {}

    static ConnectorInfo info(OpenApiCatalog catalog) {
        List<ConnectorInfo.Category> categories = catalog.categories().keySet().stream()
                .map(tag -> new ConnectorInfo.Category(tag, tag, tag)).toList();
        SecurityScheme security = catalog.security();
        List<ConnectorInfo.CredentialKind> credentials = security.kind() == SecurityScheme.Kind.NONE
                ? List.of()
                : List.of(new ConnectorInfo.CredentialKind(security.scheme(), security.scheme(), security.scheme(), authentication(security)));
        return new ConnectorInfo(catalog.id(), catalog.title(), catalog.titleEn(), catalog.description(), catalog.docUrl(),
                categories, credentials, null, "Documentation");
    }

    static Authentication authentication(SecurityScheme auth) {
        return switch (auth.kind()) {
            case NONE -> new Authentication(Authentication.Type.NONE, null, null, null, null, null, null, null, null);
            case BEARER -> new Authentication(Authentication.Type.BEARER, null, null, ConnectionSchema.TOKEN, null, null, null,
                    null, null);
            case API_KEY -> new Authentication(Authentication.Type.API_KEY,
                    Credential.Location.valueOf(auth.in().toUpperCase(Locale.ROOT)), auth.parameter(), ConnectionSchema.API_KEY,
                    null, null, null, null, null);
            case BASIC -> new Authentication(Authentication.Type.BASIC, null, null, ConnectionSchema.PASSWORD,
                    ConnectionSchema.USERNAME, null, null, null, null);
            case OAUTH2_CLIENT_CREDENTIALS -> new Authentication(Authentication.Type.OAUTH2_CLIENT_CREDENTIALS, null, null,
                    ConnectionSchema.CLIENT_SECRET, null, ConnectionSchema.CLIENT_ID, auth.tokenUrl(), auth.scopes(), null);
        };
    }
}
