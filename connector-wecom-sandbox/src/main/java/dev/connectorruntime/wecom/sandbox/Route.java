package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** A WeCom endpoint of the sandbox. Runs under the state's lock; errcode 0 is added to the answer. */
@FunctionalInterface
interface Route {
    ObjectNode handle(SandboxRequest request, SandboxState state);

    /** Secret kinds of system apps (家校沟通, 客户联系) that corps created since 2023-12-01 can no longer call with. */
    Set<String> SYSTEM_SECRETS = Set.of("school", "externalcontact");
    /** State value: true for a corp created before 2023-12-01, which still calls with the system secrets. */
    String SYSTEM_SECRETS_ACCEPTED = "corp.systemSecretsAccepted";

    /**
     * This route for tokens of the given secret kinds only; others get 48002 (api forbidden) saying
     * {@code why}. A system secret's token gets 48002 too unless the corp predates 2023-12-01.
     */
    static Route forSecrets(Set<String> kinds, String why, Route route) {
        return (request, state) -> {
            if (!kinds.contains(request.secretKind())) {
                throw new WeComError(48002, "api forbidden: " + why);
            }
            if (SYSTEM_SECRETS.contains(request.secretKind()) && !state.get(SYSTEM_SECRETS_ACCEPTED, false)) {
                throw new WeComError(48002, "api forbidden: since 2023-12-01 new corps call this API with a self-built app's "
                        + "access_token, the app made callable (可调用应用) here; the system app's secret is refused");
            }
            return route.handle(request, state);
        };
    }
}
