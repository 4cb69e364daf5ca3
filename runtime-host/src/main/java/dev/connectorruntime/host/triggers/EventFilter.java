package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which events a reader wants: optionally one trigger and one connection, and conditions on event
 * fields that must all hold.
 *
 * @param triggerId the trigger, or null for any
 * @param connection the connection, or null for any
 * @param conditions all must match
 */
public record EventFilter(String triggerId, String connection, List<Condition> conditions) {
    /** Every event. */
    public static final EventFilter ALL = new EventFilter(null, null, List.of());

    public EventFilter {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** Events of one trigger (null: any) on one connection (null: any). */
    public static EventFilter of(String triggerId, String connection) {
        return new EventFilter(triggerId, connection, List.of());
    }

    /** This filter with field conditions parsed from JSON: one condition object, or an array of them (all-of). */
    public EventFilter where(JsonNode conditionsJson) {
        List<Condition> parsed = new ArrayList<>(conditions);
        if (conditionsJson != null && !conditionsJson.isNull() && !conditionsJson.isMissingNode()) {
            if (conditionsJson.isArray()) {
                conditionsJson.forEach(c -> parsed.add(Condition.parse(c)));
            } else {
                parsed.add(Condition.parse(conditionsJson));
            }
        }
        return new EventFilter(triggerId, connection, parsed);
    }

    public boolean matches(TriggerEvent event) {
        return (triggerId == null || triggerId.equals(event.triggerId()))
                && (connection == null || connection.equals(event.connection()))
                && conditions.stream().allMatch(c -> c.matches(event.event()));
    }

    /**
     * One condition on a field of the event, given by JSON Pointer ({@code /UserID}); exactly one of
     * equals, oneOf and contains is set.
     *
     * @param contains for a string field: a substring; for an array field: an element
     */
    public record Condition(String field, JsonNode equals, List<JsonNode> oneOf, JsonNode contains) {
        public Condition {
            Objects.requireNonNull(field, "field");
            oneOf = oneOf == null ? null : List.copyOf(oneOf);
        }

        static Condition parse(JsonNode json) {
            if (!json.isObject() || !json.path("field").isTextual()) {
                throw new IllegalArgumentException("a filter condition needs \"field\" (a JSON Pointer)");
            }
            List<JsonNode> oneOf = null;
            if (json.has("oneOf")) {
                oneOf = new ArrayList<>();
                json.get("oneOf").forEach(oneOf::add);
            }
            return new Condition(json.get("field").asText(), json.get("equals"), oneOf, json.get("contains"));
        }

        public boolean matches(JsonNode event) {
            JsonNode value = event.at(JsonPointer.compile(field));
            if (value.isMissingNode()) {
                return false;
            }
            if (equals != null) {
                return sameValue(value, equals);
            }
            if (oneOf != null) {
                return oneOf.stream().anyMatch(candidate -> sameValue(value, candidate));
            }
            if (contains != null) {
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        if (sameValue(element, contains)) {
                            return true;
                        }
                    }
                    return false;
                }
                return value.isTextual() && value.asText().contains(contains.asText());
            }
            return true;
        }

        private static boolean sameValue(JsonNode a, JsonNode b) {
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue()) == 0;
            }
            return a.equals(b);
        }
    }
}
