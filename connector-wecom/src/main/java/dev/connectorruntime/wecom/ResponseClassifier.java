package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.UpstreamError;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a WeCom response: errcode 0 is success; the rest becomes a verdict with a hint. */
final class ResponseClassifier {
    /** The access token is expired or revoked: refresh it and resend once. */
    private static final Set<Integer> TOKEN_REJECTED = Set.of(40001, 40014, 42001);
    /** WeCom refused without applying: busy, frequency or concurrency limit. */
    private static final Set<Integer> NOT_APPLIED = Set.of(-1, 45009, 45033);
    private static final Pattern FROM_IP = Pattern.compile("from ip:\\s*([0-9a-fA-F.:]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Errcodes errcodes;

    ResponseClassifier(Errcodes errcodes) {
        this.errcodes = errcodes;
    }

    Verdict classify(ActionDescriptor action, UpstreamResponse response) {
        JsonNode body = parse(response);
        if (response.status() >= 500 || body == null || !body.isObject()) {
            return unreadable(action, response, body);
        }
        int errcode = body.path("errcode").asInt(0);
        if (errcode == 0) {
            return new Verdict.Success(body);
        }
        String errmsg = body.path("errmsg").asText("");
        Errcodes.Entry entry = errcodes.find(errcode).orElse(null);
        ActionError error = new ActionError(ErrorCode.UPSTREAM_ERROR,
                "WeCom returned errcode " + errcode + " for " + action.id()
                        + (entry == null ? "" : " (" + entry.meaningEn() + ")"),
                fieldErrors(action, errcode, entry), WeComError.of(errcode, errmsg, response.status()), hint(action, errcode, errmsg, entry),
                entry != null && entry.retrySafe());
        if (TOKEN_REJECTED.contains(errcode)) {
            return new Verdict.CredentialRejected(error);
        }
        if (NOT_APPLIED.contains(errcode)) {
            return new Verdict.NotApplied(error.withRetryable(true));
        }
        return new Verdict.Failed(error);
    }

    /** The input fields an errcode is about (60104: /mobile), when the action has them; shown at those fields. */
    private static List<FieldError> fieldErrors(ActionDescriptor action, int errcode, Errcodes.Entry entry) {
        if (entry == null) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>();
        for (String pointer : entry.fields()) {
            if (!action.input().at(pointer.replace("/", "/properties/")).isMissingNode()) {
                errors.add(new FieldError(pointer, "errcode " + errcode, pointer + ": " + entry.meaningZh() + " (" + entry.meaningEn() + ")"));
            }
        }
        return errors;
    }

    private static JsonNode parse(UpstreamResponse response) {
        try {
            return response.body() == null || response.body().length == 0 ? null : JSON.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** HTTP 5xx or a body that is not WeCom's JSON: a read may be retried; a write's outcome is unknown. */
    private static Verdict unreadable(ActionDescriptor action, UpstreamResponse response, JsonNode body) {
        String what = response.status() >= 500 ? "HTTP " + response.status()
                : body == null ? "a response that is not JSON (HTTP " + response.status() + ")"
                : "an unexpected JSON response";
        if (action.safeToRepeat()) {
            return new Verdict.Failed(ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE,
                    "WeCom answered " + what + " for " + action.id(), UpstreamError.ofStatus(response.status(), null),
                    "企业微信暂时不可用，稍后重试。WeCom is temporarily unavailable; retry later.", true));
        }
        return new Verdict.Failed(ActionError.of(ErrorCode.OUTCOME_UNKNOWN,
                "WeCom answered " + what + " for " + action.id() + "; the change may or may not have been applied",
                UpstreamError.ofStatus(response.status(), null),
                "先读取确认结果再决定是否重发。Check whether the change took effect before sending it again.", false));
    }

    private static String hint(ActionDescriptor action, int errcode, String errmsg, Errcodes.Entry entry) {
        if (errcode == 60020) {
            Matcher ip = FROM_IP.matcher(errmsg);
            String which = ip.find() ? "IP " + ip.group(1) : "this server's egress IP";
            return "调用方IP不在企业可信IP中：在管理后台「应用管理 → 应用 → 企业可信IP」添加 " + which
                    + "，约一分钟后生效。Add " + which + " to the app's trusted IPs (企业可信IP) in the admin console.";
        }
        if (entry == null) {
            return null;
        }
        if ("permission".equals(entry.category()) && SystemApps.isSystemKind(action.credential())) {
            return entry.hint() + " " + SystemApps.appHint(action.credential());
        }
        if ("permission".equals(entry.category()) && !"any".equals(action.credential()) && !"app".equals(action.credential())) {
            return entry.hint() + " This action needs the '" + action.credential() + "' secret (secrets." + action.credential() + ").";
        }
        return entry.hint();
    }
}
