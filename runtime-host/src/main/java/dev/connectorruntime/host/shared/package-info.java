/**
 * Not API (internal to the host). State shared between hosts on Redis: tokens and tickets, rate
 * limits, with a per-host fallback while Redis is away.
 */
package dev.connectorruntime.host.shared;
