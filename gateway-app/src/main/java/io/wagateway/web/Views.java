package io.wagateway.web;

import io.wagateway.api.EngineAction;
import io.wagateway.api.MessageStatus;
import io.wagateway.api.QrCodeUpdated;
import io.wagateway.auth.User;
import io.wagateway.plugin.PluginRecord;
import io.wagateway.session.Message;
import io.wagateway.session.QrImages;
import io.wagateway.session.Session;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The domain's records as the templates and the live events show them: plain maps of display
 * values (Thymeleaf's standalone expressions read map keys, not record accessors), times in UTC.
 */
final class Views {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    static String iso(Instant at) {
        return at == null ? "" : DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    static Map<String, Object> session(Session s, Map<String, String> ownerNames) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.sessionId());
        v.put("path", SessionCommands.sessionPath(s.sessionId()));
        v.put("name", s.name());
        v.put("ownerId", s.userId());
        v.put("owner", ownerNames.getOrDefault(s.userId(), s.userId()));
        v.put("engine", s.engine());
        v.put("status", s.status().name());
        v.put("reason", s.reason() == null ? "" : s.reason().name());
        v.put("phone", s.phoneNumber() == null ? "" : s.phoneNumber());
        v.put("displayName", s.displayName() == null ? "" : s.displayName());
        v.put("updated", time(s.updatedAt()));
        v.put("updatedIso", iso(s.updatedAt()));
        return v;
    }

    static Map<String, Object> qr(QrCodeUpdated qr) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("svg", svg(qr.qrCode()));
        v.put("attempt", qr.attempt());
        v.put("expiresAt", iso(qr.expiresAt()));
        v.put("expires", time(qr.expiresAt()));
        return v;
    }

    /** The QR code as inline SVG markup (no XML prolog), drawn by the server from the QR string. */
    static String svg(String qrCode) {
        String svg = QrImages.svg(qrCode);
        int start = svg.indexOf("<svg");
        return svg.substring(start).strip().replaceFirst("<svg ", "<svg class=\"qr-svg\" aria-hidden=\"true\" focusable=\"false\" ");
    }

    static Map<String, Object> message(Message m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.messageId());
        v.put("to", m.to());
        v.put("text", m.text());
        v.put("status", m.status().name());
        v.put("ticks", ticks(m.status()));
        v.put("error", m.error() == null ? "" : m.error());
        v.put("created", time(m.createdAt()));
        v.put("history", m.history().stream().map(h -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("status", h.status().name());
            step.put("at", time(h.at()));
            step.put("error", h.error() == null ? "" : h.error());
            return step;
        }).toList());
        return v;
    }

    /** WhatsApp's ticks, as text: one for sent, two for delivered, two (blue, by CSS) for read. */
    static String ticks(MessageStatus status) {
        return switch (status) {
            case PENDING -> "\u23F1";
            case SENT -> "\u2713";
            case DELIVERED, READ -> "\u2713\u2713";
            case FAILED -> "\u2717";
        };
    }

    static Map<String, Object> user(User u) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", u.id());
        v.put("username", u.username());
        v.put("role", u.role().name());
        v.put("enabled", u.enabled());
        v.put("created", time(u.createdAt()));
        return v;
    }

    static Map<String, Object> action(EngineAction a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", a.name());
        v.put("label", a.label());
        v.put("description", a.description());
        v.put("params", a.params().stream().map(p -> Map.of("name", p.name(), "label", p.label(),
                "example", p.example(), "required", p.required())).toList());
        return v;
    }

    /** A plugin's record without anything of its configuration: secret values must never show. */
    static Map<String, Object> plugin(PluginRecord p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", p.id() == null ? "" : p.id());
        v.put("version", p.version() == null ? "" : p.version());
        v.put("file", p.file());
        v.put("state", p.state().name());
        v.put("extensions", p.extensions().stream().map(e -> e.type() + " " + e.name()).toList());
        v.put("lastError", p.lastError() == null ? "" : p.lastError());
        v.put("updated", time(p.updatedAt()));
        return v;
    }

    static List<String> statusOrder() {
        return List.of("DISCONNECTED", "CONNECTING", "QR_REQUIRED", "CONNECTED", "ERROR");
    }
}
