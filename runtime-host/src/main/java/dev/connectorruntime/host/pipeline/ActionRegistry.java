package dev.connectorruntime.host.pipeline;

import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.Connector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every action of every loaded connector, by id, with its schemas compiled once at start-up. */
public final class ActionRegistry {
    private final Map<String, RegisteredAction> actions = new LinkedHashMap<>();

    public ActionRegistry(List<Connector> connectors, SchemaCompiler compiler) {
        for (Connector connector : connectors) {
            for (ActionDescriptor action : connector.actions()) {
                String origin = connector.info().id() + "/" + action.id();
                RegisteredAction registered = new RegisteredAction(connector, action,
                        compiler.compile(action.input(), origin + " input"),
                        compiler.compile(action.output(), origin + " output"),
                        Truncations.of(action.truncates()),
                        LinkFields.of(action.input(), connector.info().title(), connector.info().titleEn()),
                        WireTypes.of(action.sendAs()));
                if (actions.putIfAbsent(action.id(), registered) != null) {
                    throw new IllegalStateException("action id '" + action.id() + "' is defined twice");
                }
            }
        }
    }

    public Optional<RegisteredAction> find(String id) {
        return Optional.ofNullable(id == null ? null : actions.get(id));
    }

    public List<RegisteredAction> all() {
        return List.copyOf(actions.values());
    }
}
