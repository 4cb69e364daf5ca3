package dev.connectorruntime.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys a server accepts, held only as SHA-256 hashes, each with the {@link Caller} it stands for.
 *
 * <p>A keys file is JSON: {@code {"keys": [{"name": "acme-ops", "sha256": "<64 hex digits>",
 * "connections": ["acme"], "scopes": ["write", "test-connections"]}]}}. {@code "connections": ["*"]}
 * allows every connection. Keys are random and long, so a plain SHA-256 is enough to keep the file
 * useless to whoever reads it; {@code runtime-host api-key} makes a key and its entry.
 */
public final class ApiKeys {
    private record Entry(byte[] sha256, Caller caller) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No keys: every caller is {@link Caller#UNRESTRICTED}. */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /** One key with every scope on every connection (the single-key configuration). */
    public static ApiKeys single(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        return new ApiKeys(List.of(new Entry(sha256(key.strip()),
                new Caller("api-key", Set.of(Caller.ALL_CONNECTIONS), EnumSet.allOf(Scope.class)))));
    }

    /** Reads a keys file; any mistake in it is an {@link IllegalArgumentException} naming the entry. */
    public static ApiKeys read(Path file) throws IOException {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        JsonNode keys = json == null ? null : json.get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no keys (expected {\"keys\": [{\"name\", \"sha256\", \"connections\", \"scopes\"}]})");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode key = keys.get(i);
            String where = file + " /keys/" + i;
            String name = key.path("name").asText("");
            if (name.isBlank() || !names.add(name)) {
                throw new IllegalArgumentException(where + "/name: missing, blank or repeated");
            }
            String hash = key.path("sha256").asText("");
            if (!hash.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(where + "/sha256: must be the 64 hex digits of the key's SHA-256");
            }
            Set<String> connections = new LinkedHashSet<>();
            key.path("connections").forEach(c -> connections.add(c.asText()));
            if (connections.isEmpty() || connections.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException(where + "/connections: list the connection names the key may use, or \"*\"");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (JsonNode scope : key.path("scopes")) {
                try {
                    scopes.add(Scope.fromFileName(scope.asText()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + "/scopes: " + e.getMessage());
                }
            }
            entries.add(new Entry(HexFormat.of().parseHex(hash.toLowerCase()), new Caller(name, connections, scopes)));
        }
        return new ApiKeys(entries);
    }

    /** True when callers must present a key. */
    public boolean required() {
        return !entries.isEmpty();
    }

    /** The caller a presented key stands for; every entry is compared in constant time. */
    Optional<Caller> find(String presented) {
        byte[] hash = sha256(presented);
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(hash, entry.sha256()) && found == null) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /** A new random key (256 bits, URL-safe Base64). */
    public static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of a key, as the keys file holds it. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
