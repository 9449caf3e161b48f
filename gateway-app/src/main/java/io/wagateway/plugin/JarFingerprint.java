package io.wagateway.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a jar on disk looks like now: when any part changes, the jar was rewritten or replaced.
 * The file key (inode) tells an atomic move over the old jar apart even when size and time match.
 *
 * @param size         the length in bytes
 * @param lastModified the modification time
 * @param fileKey      the file system's identity of the file, or null where it has none
 */
record JarFingerprint(long size, FileTime lastModified, Object fileKey) {

    private static final Logger LOG = Logger.getLogger(JarFingerprint.class.getName());

    /** @return whether the name is a plugin jar's ({@code *.jar}, any case) */
    static boolean isJarName(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    /** @return the fingerprint of a regular {@code *.jar} file, empty when absent, unreadable or not a jar file */
    static Optional<JarFingerprint> read(Path file) {
        if (!isJarName(file)) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new JarFingerprint(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot read the attributes of " + file.getFileName() + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
