package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A WeCom endpoint of the sandbox. Runs under the state's lock; errcode 0 is added to the answer. */
@FunctionalInterface
interface Route {
    ObjectNode handle(SandboxRequest request, SandboxState state);
}
