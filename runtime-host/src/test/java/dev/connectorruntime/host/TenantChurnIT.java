package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.ExecutionResult;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Churn: 10,000 tenants, each with its own secret, rate limit and cached token, added, called once and
 * removed, ten times over; the heap ends where it was after the first round. Measured as the lowest of
 * several readings, each after a full collection, once the sandbox has forgotten the expired tokens it
 * issued (it shares this JVM). A leak of even 10 bytes per tenant and round would show as 0.9 MB.
 */
class TenantChurnIT {
    private static final int TENANTS = 10_000;
    private static final int ROUNDS = 10;
    private static final long TOKEN_TTL_SECONDS = 4;

    @Test
    void addingAndRemovingTenThousandTenantsTenTimesLeavesTheHeapWhereItWas() throws Exception {
        try (TestHost test = TestHost.start()) {
            test.admin.call("POST", "/sandbox/config", "{\"anySecretIs\": \"app\", \"tokenTtlSeconds\": " + TOKEN_TTL_SECONDS + "}");
            List<Long> heapAfterRound = new ArrayList<>();
            long gettokenBefore = test.gettokenCalls();
            PrintStream err = System.err;
            System.setErr(new PrintStream(OutputStream.nullOutputStream())); // not 100,000 lines of call log
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    churn(test, round);
                    if (round == 0 || round == ROUNDS - 1) {
                        heapAfterRound.add(settledHeap(test));
                    }
                }
            } finally {
                System.setErr(err);
            }
            assertEquals((long) TENANTS * ROUNDS, test.gettokenCalls() - gettokenBefore - 2, "one gettoken per tenant (and per settling call)");
            assertEquals(List.of("sandbox"), test.host.connectionNames());
            long growth = heapAfterRound.get(1) - heapAfterRound.get(0);
            System.out.printf("heap after round 1: %,d B; after round %d: %,d B (%+,d B, %+.1f B per tenant added since)%n",
                    heapAfterRound.get(0), ROUNDS, heapAfterRound.get(1), growth, growth / (double) (TENANTS * (ROUNDS - 1)));
            assertTrue(growth < 900_000, "the heap grew by " + growth + " bytes over " + (ROUNDS - 1) * TENANTS + " tenants");
        }
    }

    private static void churn(TestHost test, int round) throws Exception {
        ObjectNode input = (ObjectNode) TestHost.json("{}");
        for (int i = 0; i < TENANTS; i++) {
            String name = "churn-" + round + "-" + i;
            ObjectNode tenant = test.connection().put("name", name).put("rateLimitPerSecond", 100 + i % 50);
            tenant.set("secrets", TestHost.JSON.createObjectNode().put("app", "secret-of-" + name));
            test.host.addConnection(tenant);
            ExecutionResult result = test.host.execute("tag_list", input, ExecuteOptions.DEFAULTS.withConnection(name));
            if (result instanceof ExecutionResult.Failure failure) {
                throw new AssertionError(name + ": " + failure.error().message());
            }
            test.host.removeConnection(name);
        }
    }

    /** Waits until the sandbox may forget the round's tokens, lets it (one gettoken), then reads the heap. */
    private static long settledHeap(TestHost test) throws Exception {
        Thread.sleep((TOKEN_TTL_SECONDS + 11) * 1000);
        ObjectNode settle = test.connection().put("name", "settle");
        settle.set("secrets", TestHost.JSON.createObjectNode().put("app", "settle-" + System.nanoTime()));
        test.host.addConnection(settle);
        test.host.execute("tag_list", TestHost.json("{}"), ExecuteOptions.DEFAULTS.withConnection("settle"));
        test.host.removeConnection("settle");
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            lowest = Math.min(lowest, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }
}
