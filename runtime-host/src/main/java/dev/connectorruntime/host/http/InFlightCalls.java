package dev.connectorruntime.host.http;

import dev.connectorruntime.spi.ActionError;
import dev.connectorruntime.spi.ErrorCode;
import dev.connectorruntime.spi.ExecutionResult;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The calls the API is running, so that a stop can let them finish. Each call runs on a worker, and
 * its request is answered when the call's future completes; when a drain reaches its bound, the calls
 * still running are answered {@code OUTCOME_UNKNOWN} (they may or may not have been applied) before
 * the server stops.
 */
final class InFlightCalls {
    private final Set<CompletableFuture<ExecutionResult>> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private volatile boolean draining;

    InFlightCalls() {
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "api-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    boolean draining() {
        return draining;
    }

    int size() {
        return pending.size();
    }

    /**
     * Starts a call on a worker; its answer completes the returned future, which the request thread does
     * not wait on (the worker writes the answer: one hand-over per call instead of two). Refused with 503
     * once a drain has begun.
     */
    CompletableFuture<ExecutionResult> start(Supplier<ExecutionResult> call) {
        CompletableFuture<ExecutionResult> answer = new CompletableFuture<>();
        pending.add(answer);
        answer.whenComplete((result, error) -> pending.remove(answer));
        if (draining) {
            answer.completeExceptionally(shuttingDown());
            return answer;
        }
        workers.execute(() -> {
            try {
                answer.complete(call.get());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /**
     * Refuses new calls, waits up to {@code bound} for the running ones, then answers those still
     * running with {@code OUTCOME_UNKNOWN}. Returns how many were cut off.
     */
    int drain(Duration bound) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + bound.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int cut = 0;
        ActionError unknown = ActionError.of(ErrorCode.OUTCOME_UNKNOWN,
                "The server stopped before the call finished (drain bound " + bound.toSeconds()
                        + " s): it may or may not have been applied upstream; check before repeating it");
        for (CompletableFuture<ExecutionResult> answer : pending) {
            if (answer.complete(new ExecutionResult.Failure(unknown, 1))) {
                cut++;
            }
        }
        workers.shutdown();
        return cut;
    }

    static HttpProblem shuttingDown() {
        return new HttpProblem(503, "SHUTTING_DOWN", "The server is stopping; send the call to another instance");
    }
}
