package dev.connectorruntime.host.shared;

import dev.connectorruntime.host.connections.SharedConnections;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;

/**
 * Managed connections on the shared Redis: a hash of name -> record (secrets sealed, never clear), and
 * a sorted set of name -> version of its latest change. One script numbers and writes a change, so
 * changes appear in version order and a host reading "after v" never misses one.
 */
public final class RedisConnections implements SharedConnections {
    private static final String VERSION = "connector-runtime:connections:version";
    private static final String RECORDS = "connector-runtime:connections:records";
    private static final String CHANGES = "connector-runtime:connections:changes";
    private static final String PUBLISH = """
            local v = redis.call('INCR', KEYS[1])
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[3], v, ARGV[1])
            return v
            """;

    private final SharedRedis redis;

    public RedisConnections(SharedRedis redis) {
        this.redis = redis;
    }

    @Override
    public long publish(String name, String record) {
        return redis.run(c -> c.<Long>eval(PUBLISH, ScriptOutputType.INTEGER, new String[] {VERSION, RECORDS, CHANGES}, name, record));
    }

    @Override
    public List<Change> changesAfter(long version) {
        return redis.run(c -> {
            List<ScoredValue<String>> changed = c.zrangebyscoreWithScores(CHANGES, Range.create(version + 1.0, Double.POSITIVE_INFINITY));
            if (changed.isEmpty()) {
                return List.of();
            }
            List<KeyValue<String, String>> records = c.hmget(RECORDS, changed.stream().map(ScoredValue::getValue).toArray(String[]::new));
            List<Change> out = new ArrayList<>(changed.size());
            for (int i = 0; i < changed.size(); i++) {
                if (records.get(i).hasValue()) {
                    out.add(new Change(changed.get(i).getValue(), (long) changed.get(i).getScore(), records.get(i).getValue()));
                }
            }
            return out;
        });
    }
}
