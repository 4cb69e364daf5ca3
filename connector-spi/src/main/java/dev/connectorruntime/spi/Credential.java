package dev.connectorruntime.spi;

/**
 * What a connector attaches to one upstream request: a query parameter carrying a token.
 *
 * @param queryParam the parameter name (for WeCom: {@code access_token})
 * @param token the token; masked when printed
 * @param cacheKey the key the token is cached under, used to invalidate it; reveals no secret
 */
public record Credential(String queryParam, Secret token, String cacheKey) {}
