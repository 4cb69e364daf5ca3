package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * 家校沟通 and 客户联系: since 2023-12-01 corps call their APIs with a self-built app made callable on
 * the admin page of that area, no longer with the system app's secret (older corps may keep it, as
 * the connection's {@code legacySystemSecrets} says). What to tell a user, per area.
 */
final class SystemApps {
    /** The connection setting of an older corp that still calls with the system secrets. */
    static final String LEGACY_SETTING = "legacySystemSecrets";

    private SystemApps() {}

    static boolean isSystemKind(String kind) {
        return "school".equals(kind) || "externalcontact".equals(kind);
    }

    /** Where the self-built app is made callable for the area, and that its secret goes in secrets.app. */
    static String appHint(String kind) {
        if ("school".equals(kind)) {
            return "家校沟通接口用自建应用调用：在管理后台「家校沟通」的 API 设置中，把该应用加入「读取家校通讯录的应用」或"
                    + "「读取和编辑家校通讯录的应用」（发送学校通知：加入「家长可使用的应用」），并把它的 Secret 填在连接的 secrets.app，"
                    + "agentId 填该应用的 AgentId。Home-school APIs are called with a self-built app: in the admin console's 家校沟通 "
                    + "API settings add the app to the apps that read (or read and edit) the home-school directory (for 学校通知: "
                    + "the apps parents may use), and put its secret in secrets.app and its AgentId in agentId.";
        }
        return "客户联系接口用自建应用调用：在管理后台「客户与上下游 → 客户联系 → 客户」的 API 设置中，把该应用加入「可调用接口的应用」，"
                + "并把它的 Secret 填在连接的 secrets.app。Customer-contact APIs are called with a self-built app: add it to "
                + "「可调用接口的应用」 (apps that may call the API) in the admin console under 客户联系 → API, and put its secret "
                + "in secrets.app.";
    }

    /** A system secret the connection has but does not use (no {@code legacySystemSecrets}). */
    static ActionError unusedSecret(String kind) {
        return new ActionError(ErrorCode.INVALID_CONNECTION,
                "secrets." + kind + " is a system app's secret and is not used: this connection calls " + area(kind)
                        + " with the self-built app (secrets.app), as corps created since 2023-12-01 must. "
                        + "Remove it, or set " + LEGACY_SETTING + ": true if the corp was created before 2023-12-01 and still uses it",
                List.of(), null, appHint(kind), false);
    }

    static ActionError legacyWithoutSecret() {
        return new ActionError(ErrorCode.INVALID_CONNECTION,
                LEGACY_SETTING + " is set but the connection has neither secrets.school nor secrets.externalcontact",
                List.of(), null, "只有 2023-12-01 之前创建、仍使用系统应用 Secret 的企业才设置它。Set it only for a corp created "
                        + "before 2023-12-01 that still calls with a system app's secret.", false);
    }

    /** A cheap read of the area, to prove the corp still accepts its system secret. */
    static UpstreamRequest probe(String kind, Connection connection) {
        if ("school".equals(kind)) {
            return new UpstreamRequest("GET", connection.baseUrl(), "/cgi-bin/school/department/list", List.of(), null, null,
                    connection.http());
        }
        byte[] body = JsonNodeFactory.instance.objectNode().put("status_filter", 0).put("limit", 1).toString()
                .getBytes(StandardCharsets.UTF_8);
        return new UpstreamRequest("POST", connection.baseUrl(), "/cgi-bin/externalcontact/groupchat/list", List.of(), body,
                "application/json; charset=UTF-8", connection.http());
    }

    /** The corp answered a read of the area made with its system secret with an errcode. */
    static ActionError refused(String kind, int errcode, String errmsg) {
        String message = errcode == 48002
                ? "WeCom refuses secrets." + kind + " for " + area(kind) + " (errcode 48002): the corp was created on or after "
                        + "2023-12-01 and must call with a self-built app; remove " + LEGACY_SETTING + " and secrets." + kind
                : "A read of " + area(kind) + " with secrets." + kind + " failed with errcode " + errcode;
        return new ActionError(ErrorCode.UPSTREAM_ERROR, message, List.of(), WeComError.of(errcode, errmsg, null), appHint(kind), false);
    }

    private static String area(String kind) {
        return "school".equals(kind) ? "家校沟通 (home-school)" : "客户联系 (customer contact)";
    }
}
