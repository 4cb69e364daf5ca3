package dev.connectorruntime.host.transport;

import dev.connectorruntime.spi.Connection;
import dev.connectorruntime.spi.Transport;
import dev.connectorruntime.spi.UpstreamRequest;
import dev.connectorruntime.spi.UpstreamResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The host's {@link Transport}: Apache HttpClient 5 with one pool of connections for every tenant. A
 * connection's connect timeout, response timeout and proxy are applied per request, so tenants with
 * their own settings share the pool (a proxy is part of the route, so its connections are pooled
 * apart). HttpClient's own retries are off: the executor decides what is resent.
 */
public final class HttpClientTransport implements Transport, AutoCloseable {
    /** The context attribute carrying a request's proxy to {@link PerRequestProxy}. */
    private static final String PROXY_ATTRIBUTE = HttpClientTransport.class.getName() + ".proxy";

    private final int maxConnections;
    private volatile CloseableHttpClient client;
    private boolean closed;

    /** A transport whose client (pool, TLS context) is built on the first request: short commands that send nothing skip it. */
    public HttpClientTransport(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    private CloseableHttpClient client() {
        CloseableHttpClient current = client;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("transport closed");
            }
            if (client == null) {
                var pool = PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setTimeToLive(TimeValue.ofMinutes(5))
                                .build())
                        .build();
                client = HttpClients.custom()
                        .setConnectionManager(pool)
                        .setRoutePlanner(new PerRequestProxy())
                        .disableAutomaticRetries()
                        .disableCookieManagement()
                        .disableRedirectHandling()
                        .build();
            }
            return client;
        }
    }

    @Override
    public UpstreamResponse send(UpstreamRequest request) throws TransportException {
        Connection.HttpSettings settings = request.http();
        ClassicHttpRequest http = ClassicRequestBuilder.create(request.method()).setUri(uri(request)).build();
        for (Map.Entry<String, String> header : request.headers()) {
            http.addHeader(header.getKey(), header.getValue());
        }
        if (request.body() != null) {
            http.setEntity(new ByteArrayEntity(request.body(), ContentType.parse(request.contentType())));
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig(settings));
        if (settings.proxy() != null) {
            context.setAttribute(PROXY_ATTRIBUTE, new HttpHost(settings.proxy().getScheme(), settings.proxy().getHost(), settings.proxy().getPort()));
        }
        String target = request.baseUrl().getHost() + ":" + request.baseUrl().getPort();
        try {
            return client().execute(http, context, response -> {
                HttpEntity entity = response.getEntity();
                Map<String, String> headers = new HashMap<>();
                for (Header header : response.getHeaders()) {
                    headers.putIfAbsent(header.getName(), header.getValue());
                }
                return new UpstreamResponse(response.getCode(),
                        entity == null ? null : entity.getContentType(),
                        entity == null ? new byte[0] : EntityUtils.toByteArray(entity), headers);
            });
        } catch (ConnectTimeoutException e) {
            throw new TransportException("connect timeout to " + target, false, true, null);
        } catch (ConnectException | UnknownHostException | SSLHandshakeException e) {
            throw new TransportException("cannot connect to " + target + " (" + e.getClass().getSimpleName() + ")", false, false, null);
        } catch (SocketTimeoutException e) {
            throw new TransportException("no response from " + target + " within " + settings.responseTimeout().toMillis() + " ms", true, true, null);
        } catch (IOException e) {
            throw new TransportException("connection to " + target + " failed after the request was sent (" + e.getClass().getSimpleName() + ")", true, false, null);
        }
    }

    /**
     * The request's timeouts. The pool's {@code ConnectionConfig} can only vary by route, not by tenant;
     * the request's connect timeout is the one HttpClient passes when it opens a connection for it.
     */
    @SuppressWarnings("deprecation")
    private static RequestConfig requestConfig(Connection.HttpSettings settings) {
        return RequestConfig.custom()
                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                .build();
    }

    /** Routes through the proxy the request's connection names, if any. */
    private static final class PerRequestProxy extends DefaultRoutePlanner {
        PerRequestProxy() {
            super(DefaultSchemePortResolver.INSTANCE);
        }

        @Override
        protected HttpHost determineProxy(HttpHost target, HttpContext context) {
            return context.getAttribute(PROXY_ATTRIBUTE) instanceof HttpHost proxy ? proxy : null;
        }
    }

    /** base + path + the encoded query, parsed once. */
    private static URI uri(UpstreamRequest request) {
        String base = request.baseUrl().toString();
        StringBuilder url = new StringBuilder(base.length() + request.path().length() + 64);
        url.append(base, 0, base.endsWith("/") ? base.length() - 1 : base.length()).append(request.path());
        char separator = '?';
        for (Map.Entry<String, String> parameter : request.query()) {
            url.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        try {
            return new URI(url.toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid upstream URL for path " + request.path(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client == null) {
            return;
        }
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
