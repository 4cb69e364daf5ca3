package dev.connectorruntime.host.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that seal secrets at rest (AES-256-GCM): the first seals, every one opens, so a key is
 * rotated by putting a new one first and keeping the old one until everything sealed with it was
 * sealed again. Configured as {@code id:base64key} entries separated by commas or new lines
 * ({@code RUNTIME_SECRET_KEYS}, or a file); a key is 32 random bytes ({@code openssl rand -base64 32}).
 *
 * <p>A sealed value is {@code v1:<key id>:<base64 of 12-byte nonce + ciphertext + tag>}; the context
 * given to {@link #seal} (such as the connection's name) is authenticated too, so a sealed value moved
 * to another record does not open.
 */
public final class SealingKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SealingKeys.class);
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The key file a data directory gets when no key is configured. */
    public static final String GENERATED_FILE = "secret-keys";

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private SealingKeys(Map<String, SecretKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no secret key is configured");
        }
        this.keys = Map.copyOf(keys);
        this.currentId = keys.keySet().iterator().next();
    }

    /** Parses {@code id:base64key} entries (commas or new lines; blank lines and {@code #} comments skipped). */
    public static SealingKeys parse(String spec) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>();
        for (String line : spec.split("\\R")) {
            if (!line.strip().startsWith("#")) {
                entries.addAll(List.of(line.split(",")));
            }
        }
        for (String entry : entries) {
            String line = entry.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a secret key is written id:base64key (32 bytes), found an entry without an id");
            }
            String id = line.substring(0, colon);
            if (!id.matches("[A-Za-z0-9_.-]{1,40}")) {
                throw new IllegalArgumentException("secret key id '" + id + "' must be letters, digits, '_', '.' or '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(line.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secret key '" + id + "' is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("secret key '" + id + "' has " + key.length + " bytes; AES-256 needs 32");
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("secret key id '" + id + "' is given twice");
            }
        }
        return new SealingKeys(keys);
    }

    /** The keys in {@code spec}, or null when none are configured (null or blank). */
    public static SealingKeys configured(String spec) {
        return spec == null || spec.isBlank() ? null : parse(spec);
    }

    /**
     * The configured keys, else those of {@code dataDir/secret-keys}, made with one new random key on
     * first use (readable by this user only), so a first run needs no set-up. A warning says to
     * configure a key kept apart from the data for production.
     */
    public static SealingKeys configuredOr(String configured, Path dataDir) {
        SealingKeys keys = configured(configured);
        if (keys != null) {
            return keys;
        }
        Path file = dataDir.resolve(GENERATED_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                String id = "k" + System.currentTimeMillis() / 1000;
                Files.writeString(file, "# AES-256 keys sealing secrets at rest: the first seals, all open\n"
                        + id + ":" + Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
                LOG.warn("No secret key configured (RUNTIME_SECRET_KEYS or --secret-keys-file): made one in {}; "
                        + "in production configure a key kept apart from the data directory", file);
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** A new random key entry, {@code id:base64key}, for a key file or {@code RUNTIME_SECRET_KEYS}. */
    public static String newKeyEntry(String id) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    public String currentId() {
        return currentId;
    }

    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    /** Seals {@code plaintext} with the current key, bound to {@code context}. */
    public String seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + ":" + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a value sealed by {@link #seal} with any of these keys.
     *
     * @throws SealException naming the key id when the key is not configured, or when the value was
     *     altered or sealed for another context (never including any part of the value)
     */
    public String open(String sealed, String context) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SealException("not a sealed value");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new SealException("sealed with key '" + parts[1] + "', which is not configured (configured: " + keys.keySet() + ")");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SealException("does not open with key '" + parts[1] + "' (too short to be sealed)");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SealException("does not open with key '" + parts[1] + "' (altered, or sealed for another record)");
        }
    }

    /** Whether {@code value} has the form of a sealed value (whichever key sealed it). */
    public static boolean isSealed(String value) {
        return value.startsWith(VERSION + ":");
    }

    /** Whether the value is sealed with the current key (else it should be sealed again). */
    public boolean sealedWithCurrent(String sealed) {
        return sealed.startsWith(VERSION + ":" + currentId + ":");
    }

    /** A sealed value that cannot be opened; the message names the key id, never the value. */
    public static final class SealException extends RuntimeException {
        SealException(String message) {
            super(message);
        }
    }
}
