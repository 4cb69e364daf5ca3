package dev.connectorruntime.wecom.callbacks;

import dev.connectorruntime.spi.TriggerDescriptor;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the trigger of an inbound message by its MsgType, Event and ChangeType. The most specific match
 * wins (a trigger naming the ChangeType before one that accepts any), and a trigger of the callback kind
 * the message arrived on before one of another kind (WeCom also sends contact events to apps).
 */
final class TriggerMatcher {
    private final List<TriggerDescriptor> triggers;

    TriggerMatcher(List<TriggerDescriptor> triggers) {
        this.triggers = triggers.stream()
                .sorted(Comparator.comparingInt(TriggerMatcher::specificity).reversed())
                .toList();
    }

    Optional<TriggerDescriptor> match(String kind, String msgType, String event, String changeType) {
        if (msgType == null && event != null) {
            msgType = "event"; // some documented examples leave MsgType out of events
        }
        String type = msgType;
        Optional<TriggerDescriptor> sameKind = triggers.stream()
                .filter(t -> t.callbackKind().equals(kind) && matches(t.match(), type, event, changeType)).findFirst();
        return sameKind.isPresent() ? sameKind : triggers.stream()
                .filter(t -> !"json".equals(t.source().path("format").asText()) && matches(t.match(), type, event, changeType))
                .findFirst();
    }

    /** JSON callbacks (smart robots): the trigger of the kind, whatever the message. */
    Optional<TriggerDescriptor> matchJson(String kind) {
        return triggers.stream().filter(t -> t.callbackKind().equals(kind)).findFirst();
    }

    private static boolean matches(TriggerDescriptor.Match match, String msgType, String event, String changeType) {
        return part(match.msgType(), msgType) && part(match.event(), event) && part(match.changeType(), changeType);
    }

    private static boolean part(String wanted, String actual) {
        return wanted == null || Objects.equals(wanted, actual);
    }

    private static int specificity(TriggerDescriptor t) {
        TriggerDescriptor.Match m = t.match();
        return (m.msgType() == null ? 0 : 1) + (m.event() == null ? 0 : 1) + (m.changeType() == null ? 0 : 1);
    }
}
