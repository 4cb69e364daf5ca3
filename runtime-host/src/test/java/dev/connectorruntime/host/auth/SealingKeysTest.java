package dev.connectorruntime.host.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealingKeysTest {
    private final String k1 = SealingKeys.newKeyEntry("k1");
    private final String k2 = SealingKeys.newKeyEntry("k2");

    @Test
    void theFirstKeySealsAndEveryKeyOpens() {
        String sealed = SealingKeys.parse(k1).seal("{\"app\":\"s3cret\"}", "acme");
        assertFalse(sealed.contains("s3cret"));
        assertNotEquals(sealed, SealingKeys.parse(k1).seal("{\"app\":\"s3cret\"}", "acme"), "a fresh nonce each time");
        SealingKeys rotated = SealingKeys.parse(k2 + "\n" + k1);
        assertEquals("{\"app\":\"s3cret\"}", rotated.open(sealed, "acme"));
        assertFalse(rotated.sealedWithCurrent(sealed));
        assertTrue(rotated.sealedWithCurrent(rotated.seal("x", "acme")));
    }

    @Test
    void aValueDoesNotOpenForAnotherRecordOrAltered() {
        SealingKeys keys = SealingKeys.parse(k1);
        String sealed = keys.seal("s3cret", "acme");
        assertThrows(SealingKeys.SealException.class, () -> keys.open(sealed, "other-tenant"));
        char[] chars = sealed.toCharArray();
        int middle = chars.length / 2; // inside the ciphertext: every bit of a middle base64 digit is data
        chars[middle] = chars[middle] == 'A' ? 'B' : 'A';
        assertThrows(SealingKeys.SealException.class, () -> keys.open(new String(chars), "acme"));
        var missing = assertThrows(SealingKeys.SealException.class, () -> SealingKeys.parse(k2).open(sealed, "acme"));
        assertTrue(missing.getMessage().contains("'k1'"), missing.getMessage());
        String id = sealed.split(":")[1];
        for (String cut : new String[] {"v1:" + id + ":", "v1:" + id + ":AAAA", "v1:" + id + ":" + "A".repeat(36), "v1:" + id + ":not base64!"}) {
            assertThrows(SealingKeys.SealException.class, () -> keys.open(cut, "acme"), cut);
        }
    }

    @Test
    void badKeysAreRefusedClearly() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SealingKeys.parse("k1:c2hvcnQ=")).getMessage().contains("32"));
        assertThrows(IllegalArgumentException.class, () -> SealingKeys.parse(k1 + "," + k1));
        assertThrows(IllegalArgumentException.class, () -> SealingKeys.parse("# only a comment"));
    }

    @Test
    void withoutAConfiguredKeyOneIsMadeOnceInTheDataDirectory(@TempDir Path dir) throws Exception {
        SealingKeys first = SealingKeys.configuredOr(null, dir);
        String sealed = first.seal("s3cret", "acme");
        assertEquals("s3cret", SealingKeys.configuredOr("", dir).open(sealed, "acme"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(SealingKeys.GENERATED_FILE))));
    }
}
