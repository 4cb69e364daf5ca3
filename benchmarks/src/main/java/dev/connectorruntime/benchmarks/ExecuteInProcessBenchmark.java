package dev.connectorruntime.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.host.ConnectorHost;
import dev.connectorruntime.spi.ActionException;
import dev.connectorruntime.spi.ExecutionResult;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole executor path of {@code execute("user_get")} with the network taken out: a
 * {@link ConnectorHost} built as usual, but given a {@link Transport} that answers at once with fixed
 * bytes. Adds to {@link OverheadBenchmark} what a real call also does:
 * rate-limit checks, the token cache, building the URL, classifying the answer (parsing its JSON),
 * metrics and the call log. The connection turns both client-side rate limits off (else the
 * limiter's 166/s would be measured).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecuteInProcessBenchmark {
    private static final byte[] TOKEN = "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"bench_token\",\"expires_in\":7200}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] USER = ("{\"errcode\":0,\"errmsg\":\"ok\",\"userid\":\"zhangsan\",\"name\":\"张三\",\"department\":[1,2],"
            + "\"order\":[1,2],\"position\":\"后台工程师\",\"mobile\":\"13800000000\",\"gender\":\"1\",\"email\":\"zhangsan@gzdev.com\","
            + "\"is_leader_in_dept\":[1,0],\"direct_leader\":[\"lisi\"],\"avatar\":\"https://wework.qpic.cn/wwhead/x/0\","
            + "\"telephone\":\"020-123456\",\"alias\":\"jackzhang\",\"address\":\"广州市海珠区新港中路\",\"main_department\":1,"
            + "\"status\":1,\"external_position\":\"产品经理\"}").getBytes(StandardCharsets.UTF_8);

    private ConnectorHost host;
    private final ObjectNode input = OverheadBenchmark.JSON.createObjectNode().put("userid", "zhangsan");

    @Setup(Level.Trial)
    public void setUp() throws ActionException {
        Transport instant = request -> new UpstreamResponse(200, "application/json; charset=UTF-8",
                request.path().endsWith("/gettoken") ? TOKEN : USER);
        host = ConnectorHost.builder().pluginsDir(Path.of(System.getProperty("bench.plugins", "plugins")))
                .transport(instant).build();
        ObjectNode connection = OverheadBenchmark.JSON.createObjectNode().put("name", "bench").put("corpId", "wwbenchcorp000001")
                .put("agentId", 1000002).put("baseUrl", "http://127.0.0.1:9")
                .put("rateLimitPerSecond", 0).put("actionRateLimitPerMinute", 0);
        connection.putObject("secrets").put("app", "bench-secret");
        host.addConnection(connection);
        if (!(execute() instanceof ExecutionResult.Success)) {
            throw new IllegalStateException("user_get failed in process: " + execute());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        host.close();
    }

    @Benchmark
    public ExecutionResult execute() {
        return host.execute("user_get", input);
    }
}
