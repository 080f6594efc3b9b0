package dev.modeltally.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves files a model refers to (ONNX external data) strictly inside the model's folder, by
 * metadata only: nothing here opens a file. A location that is absolute, climbs out with {@code ..},
 * or passes through a symbolic link, a hard link, a device, a FIFO or a folder is refused.
 */
public final class ExternalFiles {

    /** What a metadata check of one location found. {@code size} is -1 unless PRESENT. */
    public record Check(Status status, String detail, long size) {
    }

    public enum Status { PRESENT, MISSING, OUTSIDE_FOLDER, UNSAFE_FILE }

    private final Path folder;
    private final Map<String, Check> cache = new HashMap<>();

    public ExternalFiles(Path modelPath) {
        Path abs = modelPath.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        this.folder = parent == null ? abs.getRoot() : parent;
    }

    public Check check(String location) {
        return cache.computeIfAbsent(location, this::checkUncached);
    }

    /**
     * The checks that need no file system, shared by every {@link Source}: null when
     * {@code location} is a plain relative path with no {@code ..}, else why it is refused
     * (status OUTSIDE_FOLDER). A Source then checks each component below the model's folder by
     * metadata (no link, the last one a regular file, one hard link) as {@link #check} does.
     */
    public static Check lexical(String location) {
        if (location.isEmpty()) {
            return new Check(Status.OUTSIDE_FOLDER, "empty location", -1);
        }
        if (location.indexOf('\0') >= 0) {
            return new Check(Status.OUTSIDE_FOLDER, "location contains a NUL byte", -1);
        }
        if (location.startsWith("/") || location.startsWith("\\") || location.matches("^[A-Za-z]:.*")) {
            return new Check(Status.OUTSIDE_FOLDER, "absolute path", -1);
        }
        for (String segment : location.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return new Check(Status.OUTSIDE_FOLDER, "path contains '..'", -1);
            }
        }
        return null;
    }

    private Check checkUncached(String location) {
        Check refused = lexical(location);
        if (refused != null) {
            return refused;
        }
        Path target;
        try {
            target = folder.resolve(location).normalize();
        } catch (RuntimeException e) {
            return new Check(Status.OUTSIDE_FOLDER, "not a valid path", -1);
        }
        if (!target.startsWith(folder) || target.equals(folder)) {
            return new Check(Status.OUTSIDE_FOLDER, "resolves outside the model folder", -1);
        }
        // Check every component below the folder without following links.
        Path current = folder;
        Path relative = folder.relativize(target);
        BasicFileAttributes attrs = null;
        for (int i = 0; i < relative.getNameCount(); i++) {
            current = current.resolve(relative.getName(i));
            try {
                attrs = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return new Check(Status.MISSING, "no such file", -1);
            } catch (IOException | SecurityException e) {
                return new Check(Status.MISSING, "cannot stat: " + e.getClass().getSimpleName(), -1);
            }
            if (attrs.isSymbolicLink()) {
                return new Check(Status.UNSAFE_FILE, "is a symbolic link", -1);
            }
            boolean last = i == relative.getNameCount() - 1;
            if (!last && !attrs.isDirectory()) {
                return new Check(Status.MISSING, "no such file", -1);
            }
        }
        if (attrs == null || attrs.isDirectory()) {
            return new Check(Status.UNSAFE_FILE, "is a directory", -1);
        }
        if (attrs.isOther() || !attrs.isRegularFile()) {
            return new Check(Status.UNSAFE_FILE, "is a device, FIFO or socket", -1);
        }
        long links = linkCount(target);
        if (links > 1) {
            return new Check(Status.UNSAFE_FILE, "is a hard link (" + links + " links)", -1);
        }
        return new Check(Status.PRESENT, "", attrs.size());
    }

    private static long linkCount(Path p) {
        try {
            Object n = Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return n instanceof Number num ? num.longValue() : 1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return 1;
        }
    }
}
