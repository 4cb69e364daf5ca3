/**
 * Not API (internal to the host). The generic executor and what it runs per call: the action
 * registry, schema compiling and input validation, binding, paging, the call log and metrics.
 */
package dev.connectorruntime.host.pipeline;
