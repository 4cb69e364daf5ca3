/**
 * The contract between the runtime host and connector plugins.
 *
 * <p>A connector is a PF4J plugin with one {@link dev.connectorruntime.spi.Connector} extension. It
 * contributes its actions as data ({@link dev.connectorruntime.spi.ActionDescriptor}, read from JSON
 * resources with {@link dev.connectorruntime.spi.CatalogResources}) and the few hooks the host's
 * generic executor cannot know: how to authenticate a request, how to classify a response, local
 * handlers for actions that need local work, and an optional sandbox.
 */
package dev.connectorruntime.spi;
