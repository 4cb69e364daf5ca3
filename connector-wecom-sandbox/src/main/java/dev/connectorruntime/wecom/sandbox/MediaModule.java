package dev.connectorruntime.wecom.sandbox;

import static dev.connectorruntime.wecom.sandbox.SandboxModule.Endpoint.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * 素材管理: temporary media uploads. A media_id lives 3 days and answers 40007 after that (the seed's
 * media count as uploaded when the sandbox starts). Uploads are checked as WeCom documents them: the
 * {@code type} query parameter (40005), an empty file (44001), more than 5 bytes and the per-type
 * maximum (image 10MB: 40009, video 10MB: 40011, voice 2MB and file 20MB: 40006), and the format by
 * the file's leading bytes (image JPG/PNG, voice AMR, video MP4: 40004). Only the metadata is kept.
 */
final class MediaModule implements SandboxModule {
    static final String MEDIA = "media";
    private static final Duration LIFETIME = Duration.ofDays(3);
    private static final int MIN_BYTES = 6;
    private static final long MB = 1024 * 1024;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] AMR = "#!AMR".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MP4_BOX = "ftyp".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void seed(SandboxState state, JsonNode seed) {
        long now = Instant.now().getEpochSecond();
        seed.path("media").forEach(m -> {
            ObjectNode media = ((ObjectNode) m).deepCopy();
            if (!media.has("created_at")) {
                media.put("created_at", now);
            }
            state.collection(MEDIA).put(media.get("media_id").asText(), media);
        });
    }

    @Override
    public Map<String, Endpoint> endpoints() {
        return Map.of("/cgi-bin/media/upload", write("POST", MediaModule::upload));
    }

    /** The media {@code mediaId}; 40007 when it is unknown or older than 3 days. */
    static ObjectNode media(SandboxState state, String mediaId) {
        ObjectNode media = state.find(MEDIA, mediaId);
        if (media == null || expired(media)) {
            throw new WeComError(40007, "invalid media_id");
        }
        return media;
    }

    /** The media {@code mediaId} of the given type; 40007 when it is unknown, expired or of another type. */
    static ObjectNode media(SandboxState state, String mediaId, String type) {
        ObjectNode media = media(state, mediaId);
        if (!type.equals(media.path("type").asText())) {
            throw new WeComError(40007, "invalid media_id: " + mediaId + " is not of type " + type);
        }
        return media;
    }

    static boolean exists(SandboxState state, String mediaId) {
        ObjectNode media = state.find(MEDIA, mediaId);
        return media != null && !expired(media);
    }

    private static boolean expired(ObjectNode media) {
        return Instant.ofEpochSecond(media.path("created_at").asLong()).plus(LIFETIME).isBefore(Instant.now());
    }

    private static ObjectNode upload(SandboxRequest request, SandboxState state) {
        String type = request.query().get("type");
        long maxBytes = maxBytes(type);
        byte[] file = request.file();
        if (file == null || file.length == 0) {
            throw new WeComError(44001, "empty media data");
        }
        checkSize(type, file.length, maxBytes);
        checkFormat(type, file);
        String mediaId = state.nextId("media_");
        long createdAt = Instant.now().getEpochSecond();
        ObjectNode media = Json.object()
                .put("media_id", mediaId)
                .put("type", type)
                .put("created_at", createdAt)
                .put("filename", request.body().path("filename").asText())
                .put("content_type", request.body().path("content_type").asText())
                .put("length", file.length);
        state.collection(MEDIA).put(mediaId, media);
        return Json.object().put("type", type).put("media_id", mediaId).put("created_at", Long.toString(createdAt));
    }

    private static long maxBytes(String type) {
        if (type == null) {
            throw new WeComError(40005, "invalid media type: missing type");
        }
        return switch (type) {
            case "image", "video" -> 10 * MB;
            case "voice" -> 2 * MB;
            case "file" -> 20 * MB;
            default -> throw new WeComError(40005, "invalid media type: " + type);
        };
    }

    private static void checkSize(String type, int length, long maxBytes) {
        if (length >= MIN_BYTES && length <= maxBytes) {
            return;
        }
        String message = "invalid " + type + " size " + length + " bytes: must be more than 5 bytes and at most " + maxBytes / MB + "MB";
        throw switch (type) {
            case "image" -> new WeComError(40009, message);
            case "video" -> new WeComError(40011, message);
            default -> new WeComError(40006, message);
        };
    }

    private static void checkFormat(String type, byte[] file) {
        boolean valid = switch (type) {
            case "image" -> startsWith(file, 0, PNG) || startsWith(file, 0, JPEG);
            case "voice" -> startsWith(file, 0, AMR);
            case "video" -> startsWith(file, 4, MP4_BOX);
            default -> true;
        };
        if (!valid) {
            String formats = switch (type) {
                case "image" -> "JPG or PNG";
                case "voice" -> "AMR";
                default -> "MP4";
            };
            throw new WeComError(40004, "invalid media file type: " + type + " must be " + formats);
        }
    }

    private static boolean startsWith(byte[] file, int offset, byte[] prefix) {
        return file.length >= offset + prefix.length
                && Arrays.equals(file, offset, offset + prefix.length, prefix, 0, prefix.length);
    }
}
