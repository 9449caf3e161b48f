package io.wagateway.store;

import io.wagateway.config.ConfigException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The data directory holds password hashes, engine credentials and the JWT secret, so it is the
 * owner's alone: what the gateway creates there is created {@code 0700} (directories) and
 * {@code 0600} (files). A path the gateway finds already there keeps its mode, because an admin may
 * have chosen it, but one open to group or others is named in a warning at start-up.
 * <p>
 * On a file system without POSIX permissions nothing is set or checked.
 */
public final class DataDirectory {

    private static final Logger LOG = Logger.getLogger(DataDirectory.class.getName());

    /** The sub-folder of the embedded database, and the files the gateway keeps directly in the directory. */
    static final String DB = "db";
    private static final List<String> OWN_FILES = List.of("jwt-secret");

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private DataDirectory() {
    }

    /**
     * Creates the data directory owner-only when it is missing; otherwise warns, one line per path,
     * about the directory and the gateway's own paths in it that group or others may read or write.
     *
     * @throws ConfigException when the directory cannot be created
     */
    public static void prepare(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        if (Files.isDirectory(dir)) {
            warnAboutOpenPaths(dir);
        } else {
            createPrivateDirectory(dir, "gateway.data-dir");
        }
    }

    /** Creates {@code dir} and any missing parent {@code 0700}; an existing one is left as it is. */
    static void createPrivateDirectory(Path dir, String key) {
        try {
            if (posix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new ConfigException(key, "cannot create the directory " + dir + ": " + e.getMessage());
        }
    }

    /** Creates an empty {@code 0600} file when it is missing, so that whoever writes it later never widens it. */
    static void createPrivateFile(Path file) throws IOException {
        try {
            FileAttribute<?>[] attributes = posix(file.getParent())
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                    : new FileAttribute<?>[0];
            Files.createFile(file, attributes);
        } catch (FileAlreadyExistsException e) {
            // Someone else's choice of mode, already checked at start-up.
        }
    }

    /** @return the regular files directly in {@code dir} now (none when it does not exist) */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    /** Makes the files in {@code dir} that are not in {@code existing} owner-only (files the gateway just made). */
    static void restrictNewFiles(Path dir, List<Path> existing) throws IOException {
        for (Path file : files(dir)) {
            if (!existing.contains(file) && posix(file)) {
                Files.setPosixFilePermissions(file, FILE);
            }
        }
    }

    private static void warnAboutOpenPaths(Path dir) {
        List<Path> checked = new ArrayList<>();
        checked.add(dir);
        OWN_FILES.forEach(name -> checked.add(dir.resolve(name)));
        Path db = dir.resolve(DB);
        checked.add(db);
        try {
            checked.addAll(files(db));
            for (Path path : checked) {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && posix(path)) {
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                    if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                        LOG.warning(() -> "Data at rest is open to group/others: " + path + " has mode "
                                + PosixFilePermissions.toString(mode) + " (chmod " + (Files.isDirectory(path) ? "700" : "600")
                                + " it: it holds password hashes, engine credentials or the JWT secret)");
                    }
                }
            }
        } catch (IOException e) {
            LOG.warning(() -> "Cannot check the permissions of " + dir + ": " + e.getMessage());
        }
    }

    private static boolean posix(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
        } catch (IOException e) {
            return false;
        }
    }
}
