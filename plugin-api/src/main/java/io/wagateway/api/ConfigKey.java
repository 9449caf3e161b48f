package io.wagateway.api;

import java.util.Objects;

/**
 * One configuration entry a plugin accepts, declared by {@link WhatsAppEngine#configKeys()} or
 * {@link EventSink#configKeys()}. The host validates configured values against these before the
 * plugin is used, and refuses values of the wrong type with a message naming the key.
 *
 * @param name         the key below the plugin's configuration node, e.g. {@code qr-first-ttl}
 * @param type         the value's type
 * @param defaultValue the value used when none is configured, in its text form; null when required
 * @param doc          what it does, for people
 */
public record ConfigKey(String name, Type type, String defaultValue, String doc) {

    /** The value types the host can check. */
    public enum Type {
        /** Any text. */
        STRING,
        /** A whole number (Java {@code long} range). */
        LONG,
        /** A decimal number. */
        DOUBLE,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A duration: ISO-8601 ({@code PT20S}) or a number with a unit {@code ms}, {@code s}, {@code m}, {@code h}. */
        DURATION,
        /**
         * Text that must stay secret (a password, a token, a URI with credentials), as Kafka's
         * {@code ConfigDef.Type.PASSWORD}: validated like {@link #STRING}, but the host never logs it,
         * never puts it in an error message and never shows it (e.g. in {@code /api/plugins}).
         * Since API 1.2.0.
         */
        SECRET
    }

    /** Validates that name, type and doc are present. */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
    }

    /** @return true for a {@link Type#SECRET} key, whose value is never logged or shown */
    public boolean secret() {
        return type == Type.SECRET;
    }

    /** @return true when no default exists, so a value must be configured */
    public boolean required() {
        return defaultValue == null;
    }
}
