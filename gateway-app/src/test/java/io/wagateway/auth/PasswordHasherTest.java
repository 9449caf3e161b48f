package io.wagateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashesAreSaltedSlowAndVerifiable() {
        String a = hasher.hash("correct horse battery");
        String b = hasher.hash("correct horse battery");
        assertNotEquals(a, b, "a random salt makes equal passwords hash differently");
        String[] parts = a.split("\\$");
        assertTrue(parts[0].equals("pbkdf2-sha256") && Integer.parseInt(parts[1]) >= 210_000, a);
        assertTrue(hasher.matches("correct horse battery", a));
        assertTrue(hasher.matches("correct horse battery", b));
        assertFalse(hasher.matches("correct horse batterY", a));
        assertFalse(hasher.matches("x", "garbage"), "a malformed stored hash never matches");
    }

    @Test
    void generatedPasswordsAreLongAndDistinct() {
        String p = hasher.generatePassword();
        assertTrue(p.length() >= 24, p);
        assertNotEquals(p, hasher.generatePassword());
    }
}
