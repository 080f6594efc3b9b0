package dev.modeltally.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A model file on a local disk, read with positional reads on one FileChannel. Only regular files
 * are opened: a link is resolved first and its target checked without following further, so a
 * FIFO (whose open() would block), a device such as /dev/zero, or a folder is refused by metadata,
 * before anything is opened.
 */
public final class LocalSource extends Source {

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private ExternalFiles siblings;

    private LocalSource(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens {@code path} for reading after checking it is a regular file (see the class comment). */
    public static LocalSource open(Path path) throws IOException, ModelReadException {
        Path target = regularFile(path);
        FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            return new LocalSource(path, ch, ch.size());
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The file {@code path} names, links resolved, once checked to be a regular file; otherwise a
     * one-line {@link UnsupportedModelException} saying what it is.
     */
    public static Path regularFile(Path path) throws IOException, ModelReadException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        Path target = path;
        String via = "";
        if (attrs.isSymbolicLink()) {
            try {
                target = path.toRealPath(); // resolves every link; opens nothing
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(path.toString(), null, "a symbolic link to a missing file");
            }
            attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            via = " (through a link to " + target + ")";
        }
        if (attrs.isRegularFile()) {
            return target;
        }
        if (attrs.isDirectory()) {
            throw new UnsupportedModelException("is a directory" + via + ", not a model file");
        }
        throw new UnsupportedModelException("is " + special(target) + via + ", not a regular file: not opened");
    }

    /** What a non-regular, non-folder file is, from its unix mode where the platform gives one. */
    static String special(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer m) {
                return switch (m & 0170000) {
                    case 0010000 -> "a FIFO (named pipe)";
                    case 0020000 -> "a character device";
                    case 0060000 -> "a block device";
                    case 0140000 -> "a socket";
                    default -> "a special file";
                };
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // fall through: no unix view on this platform
        }
        return "a device, FIFO or socket";
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public String fileName() {
        Path f = path.getFileName();
        return f == null ? path.toString() : f.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    protected int readAt(long offset, ByteBuffer dst) throws IOException {
        return channel.read(dst, offset);
    }

    @Override
    public ExternalFiles.Check sibling(String location) {
        if (siblings == null) {
            siblings = new ExternalFiles(path);
        }
        return siblings.check(location);
    }

    @Override
    protected ByteBuffer mapAt(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || length > Integer.MAX_VALUE || offset > size - length) {
            return null;
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
