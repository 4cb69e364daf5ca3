package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.host.ExecuteOptions;
import dev.connectorruntime.host.format.InputParser;
import dev.connectorruntime.host.pipeline.RequestBinder;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.FieldError;
import dev.connectorruntime.spi.Secret;
import dev.connectorruntime.spi.UpstreamRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The runtime's own work on one call, in process, without the network: parse the caller's JSON
 * bytes, validate them against the action's compiled input schema, and bind them to the upstream
 * request, with the host's own {@link InputParser}, {@link ConnectorHost#validate} and
 * {@link RequestBinder} on a host built as usual. The action's descriptor and compiled schema come
 * from the packaged plugin zip, loaded as the host loads it.
 *
 * <p>Needs {@code -Dbench.plugins=<plugins dir>}; run by {@code bench/run}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class OverheadBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Payload name: size, then the action. */
    @Param({"small_user_get", "medium_user_create", "large_message_send_template_card", "large_tag_addtagusers_1000"})
    public String payload;

    private ConnectorHost host;
    private String actionId;
    private ActionDescriptor action;
    private Connection connection;
    private byte[] input;

    @Setup(Level.Trial)
    public void setUp() throws IOException, ActionException {
        host = ConnectorHost.builder().pluginsDir(Path.of(System.getProperty("bench.plugins", "plugins"))).build();
        actionId = payload.substring(payload.indexOf('_') + 1).replace("_template_card", "").replace("_1000", "");
        action = host.action(actionId).orElseThrow(() -> new IllegalStateException("no action " + actionId));
        input = payloadBytes(payload);
        connection = new Connection("bench", URI.create("http://127.0.0.1:9"), JSON.createObjectNode().put("corpId", "wwbenchcorp000001"),
                Map.of("app", Secret.of("s")), null);
        List<FieldError> errors = host.validate(actionId, InputParser.parse(input), ExecuteOptions.DEFAULTS);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(payload + " is not a valid " + actionId + " input: " + errors);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        host.close();
    }

    /** parse + validate + bind: what the runtime adds before anything is sent. */
    @Benchmark
    public UpstreamRequest parseValidateBind() throws ActionException {
        JsonNode parsed = InputParser.parse(input);
        List<FieldError> errors = host.validate(actionId, parsed, ExecuteOptions.DEFAULTS);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.toString());
        }
        return RequestBinder.bind(action, parsed, connection);
    }

    /** The payload's JSON bytes: a resource, or generated for the 1,000-member tag_addtagusers. */
    public static byte[] payloadBytes(String payload) throws IOException {
        if (payload.equals("large_tag_addtagusers_1000")) {
            ObjectNode node = JSON.createObjectNode().put("tagid", 1);
            ArrayNode users = node.putArray("userlist");
            for (int i = 1; i <= 1000; i++) {
                users.add(String.format("member%04d", i));
            }
            return JSON.writeValueAsBytes(node);
        }
        try (InputStream in = OverheadBenchmark.class.getResourceAsStream("/payloads/" + payload + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no payload resource " + payload);
            }
            return in.readAllBytes();
        }
    }
}
