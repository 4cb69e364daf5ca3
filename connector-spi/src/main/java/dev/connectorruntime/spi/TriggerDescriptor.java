package dev.connectorruntime.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One trigger: an upstream event a workflow can start on, described by the JSON Schema of the event as
 * workflows see it.
 *
 * <p>Read from a descriptor file ({@code schemas/<connector>/triggers/<id>.json}); the format is
 * documented in {@code schemas/README.md}.
 *
 * @param callbackKind the callback URL the event arrives on ({@code /callbacks/{connection}/{kind}})
 * @param match which inbound messages are this trigger (for WeCom: MsgType, Event, ChangeType)
 * @param schema JSON Schema 2020-12 of the event
 * @param source the descriptor as read, for {@code describe-trigger}
 */
public record TriggerDescriptor(
        String id,
        String title,
        String titleEn,
        String description,
        String category,
        String callbackKind,
        Match match,
        ObjectNode schema,
        List<Example> examples,
        ObjectNode source) {

    public TriggerDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callbackKind, "callbackKind");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(schema, "schema");
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /**
     * Which inbound messages are this trigger; a null part matches any value.
     *
     * @param msgType the message type ({@code event}, {@code text}, ...)
     * @param event the event name, for events
     * @param changeType the change type, for change events
     */
    public record Match(String msgType, String event, String changeType) {}

    /**
     * An example of the event: the raw upstream payload and the event the workflow receives.
     *
     * @param raw the payload as the upstream sends it, decrypted (for WeCom: XML)
     * @param event the converted event
     */
    public record Example(String title, String raw, JsonNode event) {}
}
