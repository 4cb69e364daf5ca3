package dev.connectorruntime.wecom.sandbox;

import dev.connectorruntime.spi.Sandbox;
import org.pf4j.Extension;

/**
 * A local WeCom: an HTTP server on loopback that speaks WeCom's paths, payloads and errcodes,
 * keeps state seeded from {@code sandbox/seed.json}, issues tokens that expire, and injects faults.
 *
 * <p>Besides the WeCom API it serves a small admin API under {@code /sandbox/}:
 * {@code POST /sandbox/reset}, {@code GET /sandbox/stats}, {@code POST /sandbox/faults},
 * {@code DELETE /sandbox/faults}, {@code POST /sandbox/tokens/revoke},
 * {@code POST /sandbox/tokens/expire}, {@code GET /sandbox/tokens} (issued tokens, for leak checks),
 * {@code GET /sandbox/requests} (recent requests without their token),
 * {@code POST /sandbox/config} ({@code {"tokenTtlSeconds": n}}), {@code POST /sandbox/callbacks}
 * ({@code {"url": "http://host/callbacks/sandbox"}}: where the callbacks of writes go, one URL per kind
 * below it), {@code GET /sandbox/callbacks} (what was sent, attempts, outcome) and
 * {@code POST /sandbox/events} (inject a trigger's event, or any XML of a kind).
 */
@Extension
public final class WeComSandbox implements Sandbox {

    @Override
    public String connectorId() {
        return "wecom";
    }

    @Override
    public Instance start() {
        return SandboxServer.start();
    }
}
