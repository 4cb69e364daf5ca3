package dev.connectorruntime.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Credential;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.LocalHandler;
import dev.connectorruntime.spi.TokenStore;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.UpstreamRequest;
import dev.connectorruntime.spi.UpstreamResponse;
import dev.connectorruntime.spi.Verdict;
import java.time.Duration;
import java.util.List;

/**
 * The one generic executor: validate -> bind -> authenticate -> send -> classify -> return, with a
 * token refresh on a rejected credential and bounded retries where the failure allows them.
 * A call that changes state is resent only when the failure proves it was not applied.
 */
final class ActionExecutor {
    private final ActionRegistry registry;
    private final Connections connections;
    private final Transport transport;
    private final TokenStore tokens;
    private final RetryPolicy retryPolicy;
    private final CallLog callLog;

    ActionExecutor(ActionRegistry registry, Connections connections, Transport transport, TokenStore tokens,
                   RetryPolicy retryPolicy, CallLog callLog) {
        this.registry = registry;
        this.connections = connections;
        this.transport = transport;
        this.tokens = tokens;
        this.retryPolicy = retryPolicy;
        this.callLog = callLog;
    }

    /** Tracks one call: attempts made and the last upstream errcode, for the result and the log. */
    private static final class Call {
        final long startNanos = System.nanoTime();
        int attempts;
        Integer errcode;
    }

    ExecutionResult execute(String actionId, JsonNode input, ExecuteOptions options) {
        Call call = new Call();
        String connectionName = options.connection();
        ExecutionResult result;
        try {
            RegisteredAction action = find(actionId);
            Connection connection = connections.resolve(options.connection());
            connectionName = connection.name();
            ObjectNode prepared = prepare(action, input, connection, options);
            result = new ExecutionResult.Success(run(action, prepared, connection, call), call.attempts);
        } catch (ActionException e) {
            result = new ExecutionResult.Failure(e.error(), call.attempts);
        }
        callLog.record(actionId, connectionName, result, call.errcode, Duration.ofNanos(System.nanoTime() - call.startNanos));
        return result;
    }

    /** Validates without sending: the field errors, empty when the input is valid. */
    List<FieldError> validate(String actionId, JsonNode input, ExecuteOptions options) throws ActionException {
        RegisteredAction action = find(actionId);
        JsonNode completed = input;
        if (input instanceof ObjectNode object && options.connection() != null) {
            completed = withConnectionDefaults(action.descriptor(), object, connections.resolve(options.connection()));
        }
        return InputValidator.validate(action.input(), completed, options.locale());
    }

    RegisteredAction find(String actionId) throws ActionException {
        return registry.find(actionId).orElseThrow(() -> new ActionException(ActionError.of(ErrorCode.UNKNOWN_ACTION,
                "Unknown action '" + actionId + "'")));
    }

    private ObjectNode prepare(RegisteredAction action, JsonNode input, Connection connection, ExecuteOptions options)
            throws ActionException {
        if (!(input instanceof ObjectNode object)) {
            throw new ActionException(ActionError.invalidInput(List.of(new FieldError("", "type",
                    "输入必须是 JSON 对象 (the input must be a JSON object)"))));
        }
        ObjectNode prepared = withConnectionDefaults(action.descriptor(), object, connection);
        List<FieldError> errors = InputValidator.validate(action.input(), prepared, options.locale());
        if (!errors.isEmpty()) {
            throw new ActionException(ActionError.invalidInput(errors));
        }
        return prepared;
    }

    /** Fills fields the caller left out from the connection (agentid from agentId); nothing else is added. */
    private static ObjectNode withConnectionDefaults(ActionDescriptor action, ObjectNode input, Connection connection) {
        if (action.connectionDefaults().isEmpty()) {
            return input;
        }
        ObjectNode completed = input.deepCopy();
        action.connectionDefaults().forEach((field, property) -> {
            if (!completed.has(field)) {
                connection.property(property).ifPresent(value -> completed.set(field, value));
            }
        });
        return completed;
    }

    private JsonNode run(RegisteredAction action, ObjectNode input, Connection connection, Call call) throws ActionException {
        String handlerName = action.descriptor().handler();
        if (handlerName == null) {
            return send(action, input, connection, call);
        }
        LocalHandler handler = action.connector().handler(handlerName).orElseThrow(() -> new ActionException(
                ActionError.of(ErrorCode.INTERNAL_ERROR, "Connector has no handler '" + handlerName + "'")));
        return handler.handle(input, new LocalHandler.Call() {
            @Override
            public ActionDescriptor action() {
                return action.descriptor();
            }

            @Override
            public Connection connection() {
                return connection;
            }

            @Override
            public TokenStore tokens() {
                return tokens;
            }

            @Override
            public JsonNode upstream(JsonNode upstreamInput) throws ActionException {
                return send(action, upstreamInput, connection, call);
            }
        });
    }

    private JsonNode send(RegisteredAction action, JsonNode input, Connection connection, Call call) throws ActionException {
        ActionDescriptor descriptor = action.descriptor();
        UpstreamRequest request = RequestBinder.bind(descriptor, input, connection);
        long deadline = call.startNanos + retryPolicy.maxTotal().toNanos();
        boolean refreshed = false;
        int retries = 0;
        while (true) {
            ActionError failure;
            boolean mayRetry;
            Credential credential;
            try {
                credential = action.connector().authenticate(descriptor, connection);
            } catch (ActionException e) {
                if (!e.error().retryable() || !canRetry(++retries, deadline)) {
                    throw e;
                }
                continue;
            }
            call.attempts++;
            UpstreamResponse response;
            try {
                response = transport.send(request.withQuery(credential.queryParam(), credential.token().reveal()));
            } catch (Transport.TransportException e) {
                boolean notApplied = !e.requestWritten();
                failure = notApplied || descriptor.safeToRepeat()
                        ? new ActionError(ErrorCode.UPSTREAM_UNAVAILABLE, descriptor.id() + ": " + e.getMessage(), List.of(), null, null,
                                "检查网络与连接的 baseUrl，稍后重试。Check the network and the connection's baseUrl; retry later.", true)
                        : new ActionError(ErrorCode.OUTCOME_UNKNOWN, descriptor.id() + ": " + e.getMessage()
                                + "; the change may or may not have been applied", List.of(), null, null,
                                "先读取确认结果再决定是否重发。Check whether the change took effect before sending it again.", false);
                mayRetry = failure.retryable();
                if (!mayRetry || !canRetry(++retries, deadline)) {
                    throw new ActionException(failure);
                }
                continue;
            }
            Verdict verdict = action.connector().classify(descriptor, response);
            if (verdict instanceof Verdict.Success success) {
                call.errcode = 0;
                return success.output();
            }
            if (verdict instanceof Verdict.CredentialRejected rejected) {
                call.errcode = rejected.error().errcode();
                action.connector().invalidate(credential);
                if (refreshed) {
                    throw new ActionException(rejected.error());
                }
                refreshed = true;
                continue;
            }
            if (verdict instanceof Verdict.NotApplied notApplied) {
                failure = notApplied.error();
                mayRetry = true;
            } else {
                failure = ((Verdict.Failed) verdict).error();
                mayRetry = failure.retryable() && descriptor.safeToRepeat();
            }
            call.errcode = failure.errcode();
            if (!mayRetry || !canRetry(++retries, deadline)) {
                throw new ActionException(failure);
            }
        }
    }

    /** Sleeps the backoff before resend number {@code retry}, unless the budget is spent. */
    private boolean canRetry(int retry, long deadlineNanos) {
        if (retry > retryPolicy.maxRetries()) {
            return false;
        }
        Duration backoff = retryPolicy.backoff(retry);
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
