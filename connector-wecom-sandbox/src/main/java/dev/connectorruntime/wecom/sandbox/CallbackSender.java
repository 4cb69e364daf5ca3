package dev.connectorruntime.wecom.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes callbacks to the host as WeCom does: each kind ({@code app}, {@code contact},
 * {@code externalcontact}, {@code school}) has its own Token and EncodingAESKey (in the sandbox's
 * connection), the XML is sealed and POSTed to {@code <target>/<kind>}, one at a time in the order the
 * writes happened, and a callback not answered with 2xx within the timeout (5 s) is resent, up to three
 * times. Nothing is sent until a target is set.
 */
final class CallbackSender implements AutoCloseable {
    static final List<String> KINDS = List.of("app", "contact", "externalcontact", "school");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RESENDS = 3;
    private static final int RECENT = 200;
    private static final Pattern MSG_TYPE = Pattern.compile("<MsgType>(?:<!\\[CDATA\\[)?([^<\\]]*)");
    private static final Pattern EVENT = Pattern.compile("<Event>(?:<!\\[CDATA\\[)?([^<\\]]*)");
    private static final Pattern CHANGE_TYPE = Pattern.compile("<ChangeType>(?:<!\\[CDATA\\[)?([^<\\]]*)");

    private final Map<String, ObjectNode> settings = new LinkedHashMap<>();
    private final Map<String, CallbackSealer> sealers = new LinkedHashMap<>();
    private final ExecutorService sending = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "wecom-sandbox-callbacks");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private volatile URI target;
    private volatile Duration timeout = Duration.ofSeconds(5);
    private volatile Duration resendAfter = Duration.ofSeconds(1);

    CallbackSender(String corpId) {
        for (String kind : KINDS) {
            String token = random(16);
            String aesKey = random(43);
            settings.put(kind, JSON.createObjectNode().put("token", token).put("encodingAesKey", aesKey));
            sealers.put(kind, new CallbackSealer(token, aesKey, corpId));
        }
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }

    /** The connection's {@code callbacks}: Token and EncodingAESKey per kind. */
    ObjectNode connectionSettings() {
        ObjectNode callbacks = JSON.createObjectNode();
        settings.forEach((kind, values) -> callbacks.set(kind, values.deepCopy()));
        return callbacks;
    }

    /** Where callbacks go from now on: {@code base/<kind>}; null stops sending. */
    void target(URI base) {
        target = base;
    }

    URI target() {
        return target;
    }

    /** How long to wait for an answer before resending, and the pause before each resend (tests shorten them). */
    void timing(Duration answerTimeout, Duration pauseBeforeResend) {
        timeout = answerTimeout;
        resendAfter = pauseBeforeResend;
    }

    /** Queues a callback of {@code kind} (sent after those queued before it). */
    void send(String kind, String xml) {
        if (!sealers.containsKey(kind)) {
            throw new IllegalArgumentException("unknown callback kind '" + kind + "' (one of " + KINDS + ")");
        }
        sending.execute(() -> deliver(kind, xml));
    }

    private void deliver(String kind, String xml) {
        ObjectNode entry = JSON.createObjectNode().put("kind", kind).put("msgType", find(MSG_TYPE, xml))
                .put("event", find(EVENT, xml)).put("changeType", find(CHANGE_TYPE, xml)).put("at", System.currentTimeMillis());
        URI base = target;
        if (base == null) {
            remember(entry.put("status", "no callback URL set").put("attempts", 0));
            return;
        }
        URI url = URI.create(base.toString().replaceAll("/+$", "") + "/" + kind);
        int attempts = 0;
        String outcome = "not answered";
        while (attempts <= RESENDS) {
            if (attempts > 0 && !pause(resendAfter)) {
                break;
            }
            attempts++;
            CallbackSealer.Sealed sealed = sealers.get(kind).seal(xml); // each resend is sealed afresh, as WeCom's are
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "?" + sealed.query()))
                        .timeout(timeout).header("Content-Type", "text/xml")
                        .POST(HttpRequest.BodyPublishers.ofString(sealed.envelope())).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    outcome = "answered";
                    break;
                }
                outcome = "HTTP " + response.statusCode();
            } catch (IOException e) {
                outcome = "not answered (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        remember(entry.put("status", outcome).put("attempts", attempts).put("url", url.toString()));
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String find(Pattern pattern, String xml) {
        Matcher m = pattern.matcher(xml);
        return m.find() ? m.group(1) : "";
    }

    private void remember(ObjectNode entry) {
        synchronized (recent) {
            recent.addLast(entry);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
    }

    /** The latest callbacks sent (kind, event, status, attempts), oldest first. */
    ArrayNode recent() {
        ArrayNode list = JSON.createArrayNode();
        synchronized (recent) {
            recent.forEach(list::add);
        }
        return list;
    }

    void clearRecent() {
        synchronized (recent) {
            recent.clear();
        }
    }

    @Override
    public void close() {
        sending.shutdownNow();
        try {
            sending.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
