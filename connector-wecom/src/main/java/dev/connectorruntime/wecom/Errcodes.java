package dev.connectorruntime.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** WeCom's global error codes (schemas/wecom/errcodes.json): meaning, category, retry safety, hint. */
final class Errcodes {

    /**
     * One code. {@code retry} is {@code safe_to_retry}, {@code refresh_token_then_retry} or {@code never};
     * {@code fields}: JSON Pointers of the input fields the code is about (60104 mobile existed: /mobile).
     */
    record Entry(int code, String meaningZh, String meaningEn, String category, String retry, String hintEn, List<String> fields) {
        boolean retrySafe() {
            return "safe_to_retry".equals(retry);
        }

        String hint() {
            return meaningZh + "。" + hintEn;
        }
    }

    private final Map<Integer, Entry> byCode;

    private Errcodes(Map<Integer, Entry> byCode) {
        this.byCode = Map.copyOf(byCode);
    }

    static Errcodes load(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Map<Integer, Entry> entries = new HashMap<>();
            for (JsonNode e : new ObjectMapper().readTree(in)) {
                int code = e.get("code").asInt();
                List<String> fields = new ArrayList<>();
                e.path("fields").forEach(f -> fields.add(f.asText()));
                entries.put(code, new Entry(code, e.path("meaning_zh").asText(), e.path("meaning_en").asText(),
                        e.path("category").asText("other"), e.path("retry").asText("never"), e.path("hint_en").asText(),
                        List.copyOf(fields)));
            }
            return new Errcodes(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<Entry> find(int code) {
        return Optional.ofNullable(byCode.get(code));
    }
}
