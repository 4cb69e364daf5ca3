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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The host's {@link Transport}: Apache HttpClient 5 with pooled connections. One pooled client per
 * distinct connect timeout + proxy (tenants with default settings share one pool); the response
 * timeout is set per request. HttpClient's own retries are off: the executor decides what is resent.
 */
public final class HttpClientTransport implements Transport, AutoCloseable {
    private record PoolKey(Duration connectTimeout, URI proxy) {}

    private final int maxConnections;
    private final Map<PoolKey, CloseableHttpClient> clients = new ConcurrentHashMap<>();

    public HttpClientTransport(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public UpstreamResponse send(UpstreamRequest request) throws TransportException {
        Connection.HttpSettings settings = request.http();
        CloseableHttpClient client = clients.computeIfAbsent(new PoolKey(settings.connectTimeout(), settings.proxy()), this::newClient);
        ClassicHttpRequest http = ClassicRequestBuilder.create(request.method()).setUri(uri(request)).build();
        if (request.body() != null) {
            http.setEntity(new ByteArrayEntity(request.body(), ContentType.parse(request.contentType())));
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(settings.responseTimeout())).build());
        String target = request.baseUrl().getHost() + ":" + request.baseUrl().getPort();
        try {
            return client.execute(http, context, response -> {
                HttpEntity entity = response.getEntity();
                return new UpstreamResponse(response.getCode(),
                        entity == null ? null : entity.getContentType(),
                        entity == null ? new byte[0] : EntityUtils.toByteArray(entity));
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

    private CloseableHttpClient newClient(PoolKey key) {
        var pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(key.connectTimeout()))
                        .setTimeToLive(org.apache.hc.core5.util.TimeValue.ofMinutes(5))
                        .build())
                .build();
        var builder = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling();
        if (key.proxy() != null) {
            builder.setProxy(new HttpHost(key.proxy().getScheme(), key.proxy().getHost(), key.proxy().getPort()));
        }
        return builder.build();
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
    public void close() {
        clients.values().forEach(c -> {
            try {
                c.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        clients.clear();
    }
}
