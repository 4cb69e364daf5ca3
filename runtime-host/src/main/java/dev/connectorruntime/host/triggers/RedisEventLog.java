package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The event log as a Redis Stream shared by several hosts: any host may store a callback's event, and
 * a resend arriving at another host is still recognised (the dedup keys are in Redis too, kept as long
 * as the events). Storing is one script, so the dedup check and the append are atomic.
 *
 * <p>The cursor ({@link TriggerEvent#sequence()}) is the stream entry id {@code <ms>-<n>} as one number,
 * {@code ms * 1,000,000 + n}: increasing in stream order and the same on every host.
 */
public final class RedisEventLog implements EventLog {
    static final String STREAM = "{triggers}:events";
    private static final String SEEN = "{triggers}:seen:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PER_MILLI = 1_000_000L;
    private static final String APPEND = """
            if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[6]) then return false end
            return redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'trigger', ARGV[2], 'connection', ARGV[3],
                              'receivedAt', ARGV[4], 'event', ARGV[5])""";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Duration retention;
    private final Clock clock;
    private volatile String appendSha;

    /** Connects to {@code redis://host:port}; dedup keys are kept for {@code retention}. */
    public RedisEventLog(String url, Duration retention, Clock clock) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(2));
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
        this.retention = retention;
        this.clock = clock;
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    @Override
    public Optional<TriggerEvent> append(String dedupKey, String triggerId, String connectionName, JsonNode event) {
        String id = UUID.randomUUID().toString();
        Instant receivedAt = Instant.ofEpochMilli(clock.millis());
        String[] keys = {STREAM, SEEN + Hashing.sha256().hashString(dedupKey, StandardCharsets.UTF_8)};
        String[] args = {id, triggerId, connectionName, Long.toString(receivedAt.toEpochMilli()), text(event),
                Long.toString(retention.toMillis())};
        String entryId = runAppend(keys, args);
        if (entryId == null) {
            return Optional.empty();
        }
        return Optional.of(new TriggerEvent(id, sequence(entryId), triggerId, connectionName, receivedAt, event));
    }

    private String runAppend(String[] keys, String[] args) {
        RedisCommands<String, String> redis = redis();
        if (appendSha == null) {
            appendSha = redis.scriptLoad(APPEND);
        }
        try {
            return redis.evalsha(appendSha, ScriptOutputType.VALUE, keys, args);
        } catch (RedisNoScriptException e) {
            appendSha = redis.scriptLoad(APPEND);
            return redis.evalsha(appendSha, ScriptOutputType.VALUE, keys, args);
        }
    }

    @Override
    public List<TriggerEvent> read(long afterSequence, EventFilter where, int limit) {
        List<TriggerEvent> found = new ArrayList<>();
        String after = entryId(afterSequence);
        int page = Math.max(limit, 200);
        while (found.size() < limit) {
            List<StreamMessage<String, String>> entries = redis().xrange(STREAM,
                    Range.from(Range.Boundary.excluding(after), Range.Boundary.unbounded()), Limit.from(page));
            for (StreamMessage<String, String> entry : entries) {
                TriggerEvent event = event(entry);
                if (event != null && found.size() < limit && where.matches(event)) {
                    found.add(event);
                }
            }
            if (entries.size() < page) {
                break;
            }
            after = entries.get(entries.size() - 1).getId();
        }
        return found;
    }

    @Override
    public void purgeOlderThan(Instant cutoff) {
        redis().xtrim(STREAM, XTrimArgs.Builder.minId(cutoff.toEpochMilli() + "-0"));
    }

    @Override
    public long lastSequence() {
        List<StreamMessage<String, String>> last = redis().xrevrange(STREAM, Range.unbounded(), Limit.from(1));
        return last.isEmpty() ? 0 : sequence(last.get(0).getId());
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }

    /** The event of a stream entry; null for an entry trimmed away while still pending in a group. */
    static TriggerEvent event(StreamMessage<String, String> entry) {
        Map<String, String> body = entry.getBody();
        if (body == null || !body.containsKey("id")) {
            return null;
        }
        return new TriggerEvent(body.get("id"), sequence(entry.getId()), body.get("trigger"), body.get("connection"),
                Instant.ofEpochMilli(Long.parseLong(body.get("receivedAt"))), json(body.get("event")));
    }

    static long sequence(String entryId) {
        int dash = entryId.indexOf('-');
        return Long.parseLong(entryId.substring(0, dash)) * PER_MILLI + Long.parseLong(entryId.substring(dash + 1));
    }

    static String entryId(long sequence) {
        return (sequence / PER_MILLI) + "-" + (sequence % PER_MILLI);
    }

    private static String text(JsonNode event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event is not JSON", e);
        }
    }
}
