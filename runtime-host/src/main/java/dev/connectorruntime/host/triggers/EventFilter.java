package dev.connectorruntime.host.triggers;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connectorruntime.spi.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which events a reader wants: optionally one trigger and one connection, and conditions on event
 * fields that must all hold.
 *
 * <p>Conditions are written as JSON, one object or an array of them (all-of):
 * <pre>{@code
 * {"field": "/UserID", "equals": "zhangsan"}
 * {"field": "/ChangeType", "oneOf": ["create_user", "update_user"]}
 * {"field": "/Department", "contains": 2}     (an array holding 2; for a text field, a substring)
 * }</pre>
 * {@link #check} validates them against the trigger's event schema, so a misspelt field or a value of
 * the wrong type is refused when a subscription is made instead of silently never matching.
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

    /**
     * This filter with field conditions read from JSON: null or missing adds none; one condition
     * object, or an array of them.
     *
     * @throws InvalidFilter naming each offending part by JSON Pointer below {@code /filter}
     */
    public EventFilter where(JsonNode conditionsJson) {
        List<Condition> parsed = new ArrayList<>(conditions);
        List<FieldError> errors = new ArrayList<>();
        if (conditionsJson == null || conditionsJson.isNull() || conditionsJson.isMissingNode()) {
            return this;
        } else if (conditionsJson.isArray()) {
            for (int i = 0; i < conditionsJson.size(); i++) {
                Condition.parse(conditionsJson.get(i), "/filter/" + i, parsed, errors);
            }
        } else if (conditionsJson.isObject()) {
            Condition.parse(conditionsJson, "/filter", parsed, errors);
        } else {
            errors.add(new FieldError("/filter", "type", "/filter: must be a condition object or an array of them"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidFilter(errors);
        }
        return new EventFilter(triggerId, connection, parsed);
    }

    public boolean matches(TriggerEvent event) {
        return (triggerId == null || triggerId.equals(event.triggerId()))
                && (connection == null || connection.equals(event.connection()))
                && conditions.stream().allMatch(c -> c.matches(event.event()));
    }

    /** The conditions as JSON (an array), as they are stored and shown. */
    public ArrayNode conditionsJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        conditions.forEach(c -> array.add(c.toJson()));
        return array;
    }

    /**
     * Checks the conditions against the event schema of the trigger: each field exists there and each
     * value has the field's type (and is one of its enum values, when it has them).
     *
     * @return the problems, each naming a JSON Pointer below {@code /filter}; empty when all is well
     */
    public List<FieldError> check(JsonNode eventSchema) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            conditions.get(i).check(eventSchema, "/filter/" + i, errors);
        }
        return errors;
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

        static void parse(JsonNode json, String at, List<Condition> out, List<FieldError> errors) {
            if (!json.isObject()) {
                errors.add(new FieldError(at, "type", at + ": must be an object like {\"field\": \"/UserID\", \"equals\": \"zhangsan\"}"));
                return;
            }
            int before = errors.size();
            JsonNode field = json.get("field");
            if (field == null || !field.isTextual() || !field.asText().startsWith("/")) {
                errors.add(new FieldError(at + "/field", "required", at + "/field: a JSON Pointer into the event is required, such as \"/UserID\""));
            }
            json.fieldNames().forEachRemaining(name -> {
                if (!List.of("field", "equals", "oneOf", "contains").contains(name)) {
                    errors.add(new FieldError(at + "/" + name, "additionalProperties",
                            at + "/" + name + ": unknown; a condition has field and one of equals, oneOf, contains"));
                }
            });
            int operators = (json.has("equals") ? 1 : 0) + (json.has("oneOf") ? 1 : 0) + (json.has("contains") ? 1 : 0);
            if (operators != 1) {
                errors.add(new FieldError(at, "oneOf", at + ": exactly one of equals, oneOf, contains is required"));
            }
            JsonNode oneOf = json.get("oneOf");
            if (oneOf != null && (!oneOf.isArray() || oneOf.isEmpty())) {
                errors.add(new FieldError(at + "/oneOf", "type", at + "/oneOf: must be a non-empty array of values"));
            }
            if (errors.size() > before) {
                return;
            }
            List<JsonNode> candidates = null;
            if (oneOf != null) {
                candidates = new ArrayList<>();
                oneOf.forEach(candidates::add);
            }
            out.add(new Condition(field.asText(), json.get("equals"), candidates, json.get("contains")));
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

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("field", field);
            if (equals != null) {
                json.set("equals", equals);
            } else if (oneOf != null) {
                json.putArray("oneOf").addAll(oneOf);
            } else if (contains != null) {
                json.set("contains", contains);
            }
            return json;
        }

        private void check(JsonNode eventSchema, String at, List<FieldError> errors) {
            JsonNode property = property(eventSchema, field);
            if (property == null) {
                errors.add(new FieldError(at + "/field", "schema", at + "/field: " + field + " is not a field of this trigger's event"));
                return;
            }
            String operator = equals != null ? "equals" : oneOf != null ? "oneOf" : "contains";
            JsonNode expected = property;
            if (contains != null) {
                if (types(property).contains("array")) {
                    expected = property.path("items");
                } else if (!types(property).isEmpty() && !types(property).contains("string")) {
                    errors.add(new FieldError(at + "/contains", "type", at + "/contains: " + field + " is neither text nor a list"));
                    return;
                } else {
                    expected = JsonNodeFactory.instance.objectNode().put("type", "string");
                }
            }
            List<JsonNode> values = equals != null ? List.of(equals) : oneOf != null ? oneOf : List.of(contains);
            for (JsonNode value : values) {
                String problem = mismatch(expected, value);
                if (problem != null) {
                    errors.add(new FieldError(at + "/" + operator, "type", at + "/" + operator + ": " + value + " " + problem + " (" + field + ")"));
                }
            }
        }

        private static boolean sameValue(JsonNode a, JsonNode b) {
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue()) == 0;
            }
            return a.equals(b);
        }
    }

    /** The schema of the field at {@code pointer}, or null when the schema has no such field. */
    private static JsonNode property(JsonNode schema, String pointer) {
        JsonNode current = schema;
        JsonPointer rest = JsonPointer.compile(pointer);
        while (!rest.matches()) {
            JsonNode next = current.path("properties").get(rest.getMatchingProperty());
            if (next == null && rest.getMatchingIndex() >= 0 && current.has("items")) {
                next = current.get("items");
            }
            if (next == null) {
                return null;
            }
            current = next;
            rest = rest.tail();
        }
        return current;
    }

    private static List<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return List.of();
        }
        List<String> list = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> list.add(t.asText()));
        } else {
            list.add(type.asText());
        }
        return list;
    }

    /** Why {@code value} cannot be a value of the field, or null when it can. */
    private static String mismatch(JsonNode schema, JsonNode value) {
        List<String> types = types(schema);
        if (!types.isEmpty() && types.stream().noneMatch(t -> hasType(value, t))) {
            return "is not of type " + String.join("/", types);
        }
        JsonNode constant = schema.get("const");
        if (constant != null && !Condition.sameValue(constant, value)) {
            return "is never the value (always " + constant + ")";
        }
        JsonNode enumeration = schema.get("enum");
        if (enumeration != null && enumeration.isArray()) {
            for (JsonNode allowed : enumeration) {
                if (Condition.sameValue(allowed, value)) {
                    return null;
                }
            }
            return "is not one of " + enumeration;
        }
        return null;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    /** Conditions that cannot be read or do not fit the trigger's schema. */
    public static final class InvalidFilter extends IllegalArgumentException {
        private final transient List<FieldError> errors;

        public InvalidFilter(List<FieldError> errors) {
            super(errors.isEmpty() ? "invalid filter" : errors.get(0).message());
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }
}
