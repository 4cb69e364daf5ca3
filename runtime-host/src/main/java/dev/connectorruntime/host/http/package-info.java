/**
 * Not API (internal to the host). The HTTP API server: listings, schemas, execute, the OpenAPI
 * export and the designer page.
 */
package dev.connectorruntime.host.http;
