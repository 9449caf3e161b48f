package io.wagateway.plugins.baileys;

import io.wagateway.api.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The worker script bundled into the plugin jar ({@value #RESOURCE}, one file built by esbuild with
 * every dependency inside), unpacked on first use into {@code <work-dir>/worker-<sha256 prefix>/}.
 * The directory name comes from the content's hash, so an upgraded plugin unpacks its own copy and
 * an unchanged one reuses the file. The work directory and everything in it are owner-only.
 *
 * <p>Threading: {@link #unpack(Path)} may be called from several threads and processes at once: the
 * file is written under a temporary name and moved into place.
 */
final class WorkerBundle {

    /** The bundled worker inside the jar. */
    static final String RESOURCE = "/baileys-worker/worker.mjs";
    static final String FILE_NAME = "worker.mjs";

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private WorkerBundle() {
    }

    /**
     * Unpacks the bundled worker, or finds it already unpacked.
     *
     * @param workDir the work directory, created owner-only when missing
     * @return the worker script
     * @throws PluginException when the jar has no worker (a broken build) or the directory is unusable
     */
    static Path unpack(Path workDir) {
        byte[] script;
        try (InputStream in = WorkerBundle.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new PluginException("The baileys plugin jar has no bundled worker (" + RESOURCE + "): the plugin was built wrongly");
            }
            script = in.readAllBytes();
        } catch (IOException e) {
            throw new PluginException("Cannot read the bundled Baileys worker from the plugin jar", e);
        }
        return unpack(workDir, script);
    }

    /**
     * @param workDir the work directory
     * @param script  the worker's content
     * @return where it was unpacked
     */
    static Path unpack(Path workDir, byte[] script) {
        String hash = sha256(script);
        Path dir = workDir.resolve("worker-" + hash.substring(0, 16));
        Path target = dir.resolve(FILE_NAME);
        try {
            ownerOnlyDirectory(workDir);
            ownerOnlyDirectory(dir);
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && hash.equals(sha256(Files.readAllBytes(target)))) {
                return target;
            }
            Path temp = Files.createTempFile(dir, "worker-", ".tmp", attributes(OWNER_FILE));
            try {
                Files.write(temp, script);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return target;
        } catch (IOException e) {
            throw new PluginException("Cannot unpack the Baileys worker into " + dir + " (set gateway.engines.baileys."
                    + BaileysSettings.WORK_DIR + " to a writable directory): " + e.getMessage(), e);
        }
    }

    /** Creates the directory owner-only, or checks that an existing one is ours and makes it owner-only. */
    private static void ownerOnlyDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, attributes(OWNER_DIR));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " exists and is not a directory", e);
            }
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (posix != null) {
            // In a shared temp directory, someone else could have created it first: never run their script.
            UserPrincipal owner = posix.getOwner();
            UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(me)) {
                throw new IOException(dir + " belongs to " + owner.getName() + ", not to " + me.getName());
            }
            posix.setPermissions(OWNER_DIR);
        }
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
