package io.wagateway.auth;

import io.wagateway.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The HS256 secret: from configuration when set, else generated once and kept in
 * {@code {data-dir}/jwt-secret} (owner-only permissions), so tokens survive restarts.
 */
public final class JwtSecret {

    private static final Logger LOG = Logger.getLogger(JwtSecret.class.getName());
    private static final String FILE = "jwt-secret";

    private JwtSecret() {
    }

    public static byte[] resolve(String configured, Path dataDir) {
        if (!configured.isEmpty()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                byte[] secret = Base64.getDecoder().decode(Files.readString(file).strip());
                if (secret.length < 32) {
                    throw new ConfigException("gateway.auth.jwt-secret", file + " holds fewer than 32 bytes; delete it to generate a new one");
                }
                return secret;
            }
            byte[] secret = new byte[64];
            new SecureRandom().nextBytes(secret);
            Files.createDirectories(dataDir);
            try {
                // Created owner-only, so the secret is never readable by others, not even for a moment.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the data directory's own permissions apply.
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(secret), StandardOpenOption.TRUNCATE_EXISTING);
            LOG.info(() -> "Generated a JWT secret in " + file.toAbsolutePath());
            return secret;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("gateway.auth.jwt-secret", "cannot read or create " + file + ": " + e.getMessage());
        }
    }
}
