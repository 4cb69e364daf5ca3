package dev.connectorruntime.host.pipeline;

import com.networknt.schema.Schema;
import dev.connectorruntime.spi.ActionDescriptor;
import dev.connectorruntime.spi.Connector;

/**
 * An action as the host runs it: its connector, its descriptor, its compiled schemas, the limits the
 * upstream cuts at, its link fields and the types its fields are sent as.
 */
public record RegisteredAction(Connector connector, ActionDescriptor descriptor, Schema input, Schema output, Truncations truncations,
                               LinkFields links, WireTypes wireTypes) {}
