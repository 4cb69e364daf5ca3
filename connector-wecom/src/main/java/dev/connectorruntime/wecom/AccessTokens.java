package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.ConnectorContext;
import dev.connectorruntime.spi.ConnectorInfo;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.CredentialCheck;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.TokenStore;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.UpstreamRequest;
import dev.connectorruntime.spi.UpstreamError;
import dev.connectorruntime.spi.UpstreamResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WeCom's {@code gettoken}: picks the secret an action needs from the connection, and caches the
 * access token in the host's {@link TokenStore} under a key derived from corp id + secret (a hash:
 * the key reveals neither).
 */
final class AccessTokens {
    static final String QUERY_PARAM = "access_token";
    private static final String TOKEN = "token";
    /** Order in which {@code any} picks a configured secret. */
    private static final List<String> ANY_ORDER = List.of("app", "contact", "externalcontact", "school");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorContext context;
    private final Errcodes errcodes;
    private final ConnectorInfo info;
    /** Purposes of every value cached per corp + secret: the token, and each JS-SDK action's ticket. */
    private final List<String> purposes;
    /** Hashing a key on every call would cost more than the call's own work; freed by {@link #release}. */
    private final Map<KeyMaterial, String> cacheKeys = new ConcurrentHashMap<>();

    AccessTokens(ConnectorContext context, Errcodes errcodes, ConnectorInfo info, List<ActionDescriptor> actions) {
        this.context = context;
        this.errcodes = errcodes;
        this.info = info;
        List<String> all = new ArrayList<>(List.of(TOKEN));
        actions.stream().filter(a -> JsapiSignature.HANDLER_NAME.equals(a.handler())).forEach(a -> all.add(ticketPurpose(a.id())));
        this.purposes = List.copyOf(all);
    }

    Credential credential(ActionDescriptor action, Connection connection) throws ActionException {
        String kind = secretKind(action, connection);
        Secret secret = connection.secret(kind).orElseThrow();
        String corpId = corpId(connection);
        String key = cacheKey(TOKEN, connection, corpId, secret);
        TokenStore.Token token = context.tokens().get(key, () -> fetch(connection, corpId, kind, secret));
        return Credential.query(QUERY_PARAM, token.value(), key);
    }

    /**
     * One fresh gettoken per secret kind the connection has (the cache is neither read nor written),
     * and the connection's choice for 家校沟通 / 客户联系: a system secret is used only with
     * {@code legacySystemSecrets}, and then one read with it proves the corp still accepts it.
     */
    List<CredentialCheck> check(Connection connection) {
        List<CredentialCheck> checks = new ArrayList<>();
        boolean legacy = legacySystemSecrets(connection);
        for (String kind : connection.secrets().keySet()) {
            try {
                String corpId = corpId(connection);
                TokenStore.Token token = fetch(connection, corpId, kind, connection.secrets().get(kind));
                if (SystemApps.isSystemKind(kind)) {
                    if (!legacy) {
                        throw new ActionException(SystemApps.unusedSecret(kind));
                    }
                    probe(connection, kind, token);
                }
                checks.add(new CredentialCheck(kind, true, null));
            } catch (ActionException e) {
                checks.add(new CredentialCheck(kind, false, e.error()));
            }
        }
        if (legacy && connection.secrets().keySet().stream().noneMatch(SystemApps::isSystemKind)) {
            checks.add(new CredentialCheck(SystemApps.LEGACY_SETTING, false, SystemApps.legacyWithoutSecret()));
        }
        return checks;
    }

    /** One read of the system secret's area; 48002 there means the corp no longer accepts that secret. */
    private void probe(Connection connection, String kind, TokenStore.Token token) throws ActionException {
        UpstreamRequest request = SystemApps.probe(kind, connection).withQuery(QUERY_PARAM, token.value().reveal());
        UpstreamResponse response;
        try {
            response = context.transport().send(request);
        } catch (Transport.TransportException e) {
            throw new ActionException(new ActionError(ErrorCode.UPSTREAM_UNAVAILABLE,
                    "checking secrets." + kind + " failed: " + e.getMessage(), List.of(), null, null, true));
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        int errcode = body == null ? -1 : body.path("errcode").asInt(0);
        if (errcode != 0) {
            throw new ActionException(SystemApps.refused(kind, errcode, body == null ? "" : body.path("errmsg").asText()));
        }
    }

    /**
     * Cache key for a value issued for corp + secret by the connection's server; {@code purpose}
     * separates tokens from tickets. A hash: the key reveals neither the corp's secret nor its token.
     */
    String cacheKey(String purpose, Connection connection, String corpId, Secret secret) {
        return cacheKeys.computeIfAbsent(new KeyMaterial(purpose, connection.baseUrl().toString(), corpId, secret),
                AccessTokens::hash);
    }

    static String ticketPurpose(String actionId) {
        return "ticket:" + actionId;
    }

    /** Drops the tokens and tickets of every secret of the connection, and the keys derived for them. */
    void release(Connection connection) {
        String corpId = connection.property("corpId").map(JsonNode::asText).orElse("");
        for (Secret secret : connection.secrets().values()) {
            for (String purpose : purposes) {
                KeyMaterial material = new KeyMaterial(purpose, connection.baseUrl().toString(), corpId, secret);
                String key = cacheKeys.remove(material);
                context.tokens().remove(key != null ? key : hash(material));
            }
        }
    }

    /** What a cache key is derived from. */
    private record KeyMaterial(String purpose, String baseUrl, String corpId, Secret secret) {}

    private static String hash(KeyMaterial key) {
        String purpose = key.purpose();
        String corpId = key.corpId();
        Secret secret = key.secret();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String material = key.baseUrl() + "\n" + corpId + "\n" + secret.reveal();
            byte[] digest = sha.digest(material.getBytes(StandardCharsets.UTF_8));
            return "wecom:" + purpose + ":" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The secret kind the action uses on this connection. 家校沟通 and 客户联系 actions ({@code school},
     * {@code externalcontact}) use the self-built app made callable there ({@code app}): corps created
     * since 2023-12-01 can no longer call them with the system apps' secrets. A connection with
     * {@code legacySystemSecrets} (an older corp) uses the system secret when it has one. Other
     * actions use their own kind, else {@code app}.
     */
    String secretKind(ActionDescriptor action, Connection connection) throws ActionException {
        String wanted = action.credential();
        if ("any".equals(wanted)) {
            for (String kind : ANY_ORDER) {
                if (connection.secret(kind).isPresent()) {
                    return kind;
                }
            }
            throw missing(action, connection, "any secret (secrets.app, secrets.contact, secrets.externalcontact or secrets.school)");
        }
        if (SystemApps.isSystemKind(wanted) && !legacySystemSecrets(connection)) {
            if (connection.secret("app").isPresent()) {
                return "app";
            }
            throw new ActionException(new ActionError(ErrorCode.MISSING_CREDENTIAL,
                    "Action " + action.id() + " needs the secret of the self-built app (secrets.app) of connection '"
                            + connection.name() + "', and none is configured",
                    List.of(), null, SystemApps.appHint(wanted), false));
        }
        if (connection.secret(wanted).isPresent()) {
            return wanted;
        }
        if (connection.secret("app").isPresent()) {
            return "app";
        }
        throw missing(action, connection, title(wanted) + " (secrets." + wanted + ")");
    }

    /** The connection's {@code legacySystemSecrets}: a corp created before 2023-12-01 still calling with system secrets. */
    static boolean legacySystemSecrets(Connection connection) {
        return connection.property(SystemApps.LEGACY_SETTING).map(JsonNode::asBoolean).orElse(false);
    }

    static String corpId(Connection connection) throws ActionException {
        return connection.property("corpId").map(JsonNode::asText).filter(s -> !s.isBlank())
                .orElseThrow(() -> new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION,
                        "Connection '" + connection.name() + "' has no corpId (企业ID)")));
    }

    private ActionException missing(ActionDescriptor action, Connection connection, String what) {
        return new ActionException(ActionError.of(ErrorCode.MISSING_CREDENTIAL,
                "Action " + action.id() + " needs the " + what + " of connection '" + connection.name()
                        + "', and none is configured",
                null,
                "在连接的 secrets 中配置该应用的 Secret（管理后台 → 应用管理 / 客户联系 / 通讯录同步 / 家校沟通）。",
                false));
    }

    private String title(String kind) {
        return info.credentials().stream().filter(c -> c.kind().equals(kind))
                .map(c -> c.titleEn() + " / " + c.title()).findFirst().orElse(kind + " secret");
    }

    private TokenStore.Token fetch(Connection connection, String corpId, String kind, Secret secret) throws ActionException {
        UpstreamRequest request = new UpstreamRequest("GET", connection.baseUrl(), "/cgi-bin/gettoken",
                List.of(Map.entry("corpid", corpId), Map.entry("corpsecret", secret.reveal())),
                null, null, connection.http());
        UpstreamResponse response;
        try {
            response = context.transport().send(request);
        } catch (Transport.TransportException e) {
            throw new ActionException(ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE,
                    "gettoken failed: " + e.getMessage(), null,
                    "检查网络与连接的 baseUrl。Check the network and the connection's baseUrl.", true));
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.has("errcode") && !body.has("access_token")) {
            throw new ActionException(ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE,
                    "gettoken answered HTTP " + response.status() + " without WeCom JSON",
                    UpstreamError.ofStatus(response.status(), null), null, response.status() >= 500));
        }
        int errcode = body.path("errcode").asInt(0);
        if (errcode == 0 && body.hasNonNull("access_token")) {
            long ttl = body.path("expires_in").asLong(7200);
            return new TokenStore.Token(Secret.of(body.get("access_token").asText()),
                    context.clock().instant().plusSeconds(ttl));
        }
        String errmsg = body.path("errmsg").asText();
        Errcodes.Entry entry = errcodes.find(errcode).orElse(null);
        boolean retryable = entry != null && entry.retrySafe();
        ErrorCode code = retryable ? ErrorCode.UPSTREAM_ERROR : ErrorCode.AUTH_FAILED;
        String hint = entry == null ? null : entry.hint();
        throw new ActionException(ActionError.of(code,
                "WeCom rejected the " + title(kind) + " (secrets." + kind + ") of connection '" + connection.name()
                        + "' for corp " + corpId + ": errcode " + errcode,
                WeComError.of(errcode, errmsg, response.status()), hint, retryable));
    }
}
