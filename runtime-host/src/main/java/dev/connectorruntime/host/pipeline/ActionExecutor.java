package dev.connectorruntime.host.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.host.RetryPolicy;
import dev.connectorruntime.host.auth.Credentials;
import dev.connectorruntime.host.connections.Connections;
import dev.connectorruntime.host.format.Json;
import dev.connectorruntime.host.shared.RateLimits;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.HttpMethod;
import dev.connectorruntime.spi.LocalHandler;
import dev.connectorruntime.spi.TokenStore;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.UpstreamRequest;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one generic executor: validate -> bind -> rate limit -> authenticate -> send -> classify ->
 * return, with one token refresh on a rejected credential and bounded retries where the failure
 * allows them. A call that changes state is resent only when the failure proves it was not applied.
 */
public final class ActionExecutor {
    private static final String JSON_CONTENT = "application/json; charset=UTF-8";

    private final ActionRegistry registry;
    private final Connections connections;
    private final Transport transport;
    private final TokenStore tokens;
    private final Credentials credentials;
    private final RetryPolicy retryPolicy;
    private final RateLimits rateLimits;
    private final CallLog callLog = new CallLog();
    private final CallMetrics metrics;

    public ActionExecutor(ActionRegistry registry, Connections connections, Transport transport, TokenStore tokens,
                   Credentials credentials, RetryPolicy retryPolicy, RateLimits rateLimits, CallMetrics metrics) {
        this.rateLimits = rateLimits;
        this.registry = registry;
        this.connections = connections;
        this.transport = transport;
        this.tokens = tokens;
        this.credentials = credentials;
        this.retryPolicy = retryPolicy;
        this.metrics = metrics;
    }

    /** One call in flight: where it goes, and what it took (attempts, last upstream code) for the result and the log. */
    private static final class Call {
        final long startNanos = System.nanoTime();
        /** When the current budget (retries, rate-limit waits) began: the call's start, or its current page's. */
        long budgetStartNanos = startNanos;
        final RegisteredAction action;
        final Connections.Entry connection;
        int attempts;
        String upstreamCode;

        Call(RegisteredAction action, Connections.Entry connection) {
            this.action = action;
            this.connection = connection;
        }

        Connection conn() {
            return connection.connection();
        }
    }

    public ExecutionResult execute(String actionId, JsonNode input, ExecuteOptions options) {
        long start = System.nanoTime();
        String connectionName = options.connection();
        Call call = null;
        ExecutionResult result;
        try {
            RegisteredAction action = find(actionId);
            Connections.Entry connection = connections.enter(options.connection());
            try {
                connectionName = connection.connection().name();
                checkConnector(action, connection);
                call = new Call(action, connection);
                ObjectNode prepared = action.wireTypes().apply(prepare(action, input, connection.connection(), options));
                List<FieldError> warnings = new ArrayList<>(action.truncations().check(prepared, options.locale()));
                warnings.addAll(action.links().check(prepared, options.locale()));
                result = new ExecutionResult.Success(run(call, prepared, options.pages()), call.attempts, warnings);
            } finally {
                connection.exit();
            }
        } catch (ActionException e) {
            result = new ExecutionResult.Failure(e.error(), call == null ? 0 : call.attempts);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        String upstreamCode = call == null ? null : call.upstreamCode;
        callLog.record(actionId, connectionName, result, upstreamCode, latency);
        metrics.record(registry.find(actionId).isPresent() ? actionId : "(unknown)", result, upstreamCode, latency);
        return result;
    }

    /** A connection serves the actions of its own connector only. */
    private static void checkConnector(RegisteredAction action, Connections.Entry connection) throws ActionException {
        String actionConnector = action.connector().info().id();
        if (!actionConnector.equals(connection.connector())) {
            throw new ActionException(ActionError.of(ErrorCode.INVALID_CONNECTION, "Connection '" + connection.connection().name()
                    + "' belongs to connector '" + connection.connector() + "', but action '" + action.descriptor().id()
                    + "' is of connector '" + actionConnector + "'; pick a connection of '" + actionConnector + "'"));
        }
    }

    /** Validates without sending: the field errors, empty when the input is valid. */
    public List<FieldError> validate(String actionId, JsonNode input, ExecuteOptions options) throws ActionException {
        RegisteredAction action = find(actionId);
        JsonNode completed = input;
        if (input instanceof ObjectNode object && options.connection() != null) {
            Connections.Entry connection = connections.resolve(options.connection());
            checkConnector(action, connection);
            completed = withConnectionDefaults(action.descriptor(), object, connection.connection());
        }
        return InputValidator.validate(action.input(), completed, options.locale());
    }

    public RegisteredAction find(String actionId) throws ActionException {
        return registry.find(actionId).orElseThrow(() -> new ActionException(ActionError.of(ErrorCode.UNKNOWN_ACTION,
                "Unknown action '" + actionId + "'")));
    }

    private ObjectNode prepare(RegisteredAction action, JsonNode input, Connection connection, ExecuteOptions options)
            throws ActionException {
        if (!(input instanceof ObjectNode object)) {
            throw new ActionException(ActionError.invalidInput(List.of(new FieldError("", "type",
                    "/: 输入必须是 JSON 对象 (the input must be a JSON object)"))));
        }
        ObjectNode prepared = withConnectionDefaults(action.descriptor(), object, connection);
        List<FieldError> errors = InputValidator.validate(action.input(), prepared, options.locale());
        if (!errors.isEmpty()) {
            throw new ActionException(ActionError.invalidInput(errors, options.locale()));
        }
        return prepared;
    }

    /**
     * Fills fields the caller left out from the connection (agentid from agentId); nothing else is
     * added. The descriptor's {@code connectionDefaultsExcept} (field -> {input field: [values]})
     * names inputs that take no default (a message type the doc defines without agentid).
     */
    private static ObjectNode withConnectionDefaults(ActionDescriptor action, ObjectNode input, Connection connection) {
        if (action.connectionDefaults().isEmpty()) {
            return input;
        }
        ObjectNode completed = input.deepCopy();
        JsonNode except = action.connectionDefaultsExcept();
        action.connectionDefaults().forEach((field, property) -> {
            if (!completed.has(field) && !excepted(except == null ? null : except.get(field), input)) {
                connection.property(property).ifPresent(value -> completed.set(field, value));
            }
        });
        return completed;
    }

    private static boolean excepted(JsonNode when, ObjectNode input) {
        if (when == null) {
            return false;
        }
        for (Map.Entry<String, JsonNode> condition : when.properties()) {
            for (JsonNode value : condition.getValue()) {
                if (value.equals(input.get(condition.getKey()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode run(Call call, ObjectNode input, ExecuteOptions.Pages pages) throws ActionException {
        ActionDescriptor descriptor = call.action.descriptor();
        if (pages.follow() && descriptor.paging() != null) {
            long followDeadline = call.startNanos + retryPolicy.maxFollow().toNanos();
            return PageFollower.follow(descriptor.paging(), input, pages, page -> {
                call.budgetStartNanos = System.nanoTime();
                return runOnce(call, page);
            }, () -> System.nanoTime() < followDeadline);
        }
        return runOnce(call, input);
    }

    private JsonNode runOnce(Call call, ObjectNode input) throws ActionException {
        ActionDescriptor descriptor = call.action.descriptor();
        String handlerName = descriptor.handler();
        if (handlerName == null) {
            return send(call, descriptor, RequestBinder.bind(descriptor, input, call.conn()));
        }
        LocalHandler handler = call.action.connector().handler(handlerName).orElseThrow(() -> new ActionException(
                ActionError.of(ErrorCode.INTERNAL_ERROR, "Connector has no handler '" + handlerName + "'")));
        return handler.handle(input, new HandlerCall(call));
    }

    /** What a local handler may do during its call: reach the upstream through this executor. */
    private final class HandlerCall implements LocalHandler.Call {
        private final Call call;

        HandlerCall(Call call) {
            this.call = call;
        }

        @Override
        public ActionDescriptor action() {
            return call.action.descriptor();
        }

        @Override
        public Connection connection() {
            return call.conn();
        }

        @Override
        public TokenStore tokens() {
            return tokens;
        }

        @Override
        public JsonNode upstream(JsonNode input) throws ActionException {
            return ActionExecutor.this.send(call, action(), RequestBinder.bind(action(), input, call.conn()));
        }

        @Override
        public JsonNode send(String credential, HttpMethod method, String path, List<Map.Entry<String, String>> query, JsonNode body)
                throws ActionException {
            ActionDescriptor raw = action().forRawCall(credential, method, path);
            return ActionExecutor.this.send(call, raw, new UpstreamRequest(method.name(), call.conn().baseUrl(), path, query,
                    body == null ? null : Json.bytes(body), body == null ? null : JSON_CONTENT, call.conn().http()));
        }
    }

    private JsonNode send(Call call, ActionDescriptor descriptor, UpstreamRequest request) throws ActionException {
        long deadline = call.budgetStartNanos + retryPolicy.maxTotal().toNanos();
        boolean refreshed = false;
        int retries = 0;
        while (true) {
            ActionError failure;
            boolean mayRetry;
            rateLimits.acquire(call.connection, descriptor.id(), actionRate(call, descriptor),
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            Credential credential;
            try {
                credential = credentials.authenticate(call.action.connector(), descriptor, call.conn());
            } catch (ActionException e) {
                call.upstreamCode = e.error().upstreamCode();
                if (!e.error().retryable() || !canRetry(++retries, deadline)) {
                    throw e;
                }
                continue;
            }
            call.attempts++;
            UpstreamResponse response;
            try {
                response = transport.send(request.with(credential));
            } catch (Transport.TransportException e) {
                failure = transportFailure(descriptor, e);
                if (!failure.retryable() || !canRetry(++retries, deadline)) {
                    throw new ActionException(failure);
                }
                continue;
            }
            Verdict verdict = call.action.connector().classify(descriptor, response);
            if (verdict instanceof Verdict.Success success) {
                call.upstreamCode = null;
                return success.output();
            }
            if (verdict instanceof Verdict.CredentialRejected rejected) {
                call.upstreamCode = rejected.error().upstreamCode();
                credentials.invalidate(call.action.connector(), descriptor, call.conn(), credential);
                if (refreshed) {
                    throw new ActionException(rejected.error());
                }
                refreshed = true;
                continue;
            }
            Duration atLeast = Duration.ZERO;
            if (verdict instanceof Verdict.NotApplied notApplied) {
                failure = notApplied.error();
                mayRetry = true;
                atLeast = notApplied.retryAfter() == null ? Duration.ZERO : notApplied.retryAfter();
            } else {
                failure = ((Verdict.Failed) verdict).error();
                mayRetry = failure.retryable() && descriptor.safeToRepeat();
            }
            call.upstreamCode = failure.upstreamCode();
            if (!mayRetry || !canRetry(++retries, deadline, atLeast)) {
                throw new ActionException(failure);
            }
        }
    }

    /**
     * Per-action limit in calls per second: the connection's override, else the action's documented
     * limit, else its connector's default; 0 or none means unlimited.
     */
    private static double actionRate(Call call, ActionDescriptor descriptor) {
        Integer perMinute = call.connection.actionRateLimitPerMinute() != null ? call.connection.actionRateLimitPerMinute()
                : descriptor.rateLimitPerMinute() != null ? descriptor.rateLimitPerMinute()
                : call.action.connector().info().actionRateLimitPerMinute();
        return perMinute == null ? 0 : perMinute / 60.0;
    }

    /**
     * No answer. A request that surely never left (connection refused) may be resent; so may a read.
     * A write that may have arrived has an unknown outcome: reported, never resent.
     */
    private static ActionError transportFailure(ActionDescriptor descriptor, Transport.TransportException e) {
        if (!e.requestWritten() || descriptor.safeToRepeat()) {
            return ActionError.of(ErrorCode.UPSTREAM_UNAVAILABLE, descriptor.id() + ": " + e.getMessage(), null,
                    "检查网络与连接的 baseUrl，稍后重试。Check the network and the connection's baseUrl; retry later.", true);
        }
        return ActionError.of(ErrorCode.OUTCOME_UNKNOWN, descriptor.id() + ": " + e.getMessage()
                + "; the change may or may not have been applied", null,
                "先读取确认结果再决定是否重发。Check whether the change took effect before sending it again.", false);
    }

    /** Sleeps the backoff before resend number {@code retry}, unless the budget is spent. */
    private boolean canRetry(int retry, long deadlineNanos) {
        return canRetry(retry, deadlineNanos, Duration.ZERO);
    }

    /**
     * Sleeps the backoff before resend number {@code retry}, or {@code atLeast} when the upstream asked
     * to wait longer (Retry-After), unless that would spend the budget.
     */
    private boolean canRetry(int retry, long deadlineNanos, Duration atLeast) {
        if (retry > retryPolicy.maxRetries()) {
            return false;
        }
        Duration backoff = retryPolicy.backoff(retry);
        if (atLeast.compareTo(backoff) > 0) {
            backoff = atLeast;
        }
        if (System.nanoTime() + backoff.toNanos() > deadlineNanos) {
            return false;
        }
        try {
            Thread.sleep(backoff.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
