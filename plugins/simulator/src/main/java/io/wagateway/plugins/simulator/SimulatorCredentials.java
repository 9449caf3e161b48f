package io.wagateway.plugins.simulator;

import io.wagateway.api.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the simulator keeps in the session's {@link CredentialStore} to reconnect without a scan:
 * the linked account's phone number and display name.
 *
 * <p>Stored under {@link #KEY} as UTF-8 {@code name=value} lines, one per field, with a
 * {@code format} line first so a later version can tell old entries apart. In values, backslash,
 * line feed and carriage return are escaped as {@code \\}, {@code \n} and {@code \r}, so a display
 * name can hold any character. Immutable.
 *
 * @param phoneNumber the account's phone number, E.164
 * @param displayName the account's display name
 */
record SimulatorCredentials(String phoneNumber, String displayName) {

    /** The credential store entry. */
    static final String KEY = "creds";

    private static final String FORMAT = "simulator/1";

    SimulatorCredentials {
        Objects.requireNonNull(phoneNumber, "phoneNumber");
        Objects.requireNonNull(displayName, "displayName");
    }

    /** @return the stored form */
    byte[] encode() {
        String text = "format=" + FORMAT + "\n"
                + "phoneNumber=" + escape(phoneNumber) + "\n"
                + "displayName=" + escape(displayName) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the stored form.
     *
     * @param stored what {@link #encode()} wrote
     * @return the credentials, or empty when the entry is not in this format or incomplete
     */
    static Optional<SimulatorCredentials> decode(byte[] stored) {
        Map<String, String> fields = new HashMap<>();
        for (String line : new String(stored, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
            }
        }
        String phone = fields.get("phoneNumber");
        String name = fields.get("displayName");
        if (!FORMAT.equals(fields.get("format")) || !PhoneNumbers.isE164(phone) || name == null || name.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new SimulatorCredentials(phone, name));
    }

    /** @param store a session's credential store (may block on the host's storage) */
    void save(CredentialStore store) {
        store.put(KEY, encode());
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char n = value.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
