package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** A WeCom endpoint of the sandbox. Runs under the state's lock; errcode 0 is added to the answer. */
@FunctionalInterface
interface Route {
    ObjectNode handle(SandboxRequest request, SandboxState state);

    /** This route for tokens of the given secret kinds only; others get 48002 (api forbidden) saying {@code why}. */
    static Route forSecrets(Set<String> kinds, String why, Route route) {
        return (request, state) -> {
            if (!kinds.contains(request.secretKind())) {
                throw new WeComError(48002, "api forbidden: " + why);
            }
            return route.handle(request, state);
        };
    }
}
