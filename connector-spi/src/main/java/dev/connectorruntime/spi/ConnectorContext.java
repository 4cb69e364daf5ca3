package dev.connectorruntime.spi;

import java.time.Clock;

/** What the host provides to a connector. */
public record ConnectorContext(Transport transport, TokenStore tokens, Clock clock) {}
