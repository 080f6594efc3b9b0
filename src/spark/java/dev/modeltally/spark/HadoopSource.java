package dev.modeltally.spark;

import dev.modeltally.format.ExternalFiles;
import dev.modeltally.format.ExternalFiles.Check;
import dev.modeltally.format.ExternalFiles.Status;
import dev.modeltally.format.Source;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A model file behind Hadoop's FileSystem API: HDFS, the local disk, and the object stores whose
 * connectors are on the classpath (s3a:, gs:, abfs:). Every read is one positional read
 * ({@code PositionedReadable.readFully(position, ...)}: a ranged request on an object store), so only
 * the ranges the readers ask for are fetched; the size comes from the file's status, fetched once.
 * External-data siblings are checked by metadata with the local rules (inside the model's folder, no
 * link, a regular file); Hadoop cannot see hard links, so that one local rule does not apply.
 */
public final class HadoopSource extends Source {

    private final FileSystem fs;
    private final Path path;
    private final long size;
    private final Map<String, Check> siblings = new HashMap<>();
    private FSDataInputStream in;

    private HadoopSource(FileSystem fs, Path path, long size) {
        this.fs = fs;
        this.path = path;
        this.size = size;
    }

    /** The file {@code path} names; only regular files are accepted. Nothing is read yet. */
    public static HadoopSource open(Path path, Configuration conf) throws IOException {
        FileSystem fs = fileSystem(path, conf);
        FileStatus status = fs.getFileStatus(path);
        if (!status.isFile()) {
            throw new IOException(path + ": " + (status.isDirectory() ? "is a directory" : "not a regular file"));
        }
        return new HadoopSource(fs, fs.makeQualified(status.getPath()), status.getLen());
    }

    /** A file already listed as a regular file of {@code size} bytes: no further metadata request. */
    static HadoopSource open(Path path, long size, Configuration conf) throws IOException {
        FileSystem fs = fileSystem(path, conf);
        return new HadoopSource(fs, fs.makeQualified(path), size);
    }

    private static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        // no .crc side files on the local disk: read the file as it is, as the local source does
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public String fileName() {
        return path.getName();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    protected int readAt(long offset, ByteBuffer dst) throws IOException {
        if (offset >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - offset);
        if (in == null) {
            in = fs.open(path);
        }
        if (dst.hasArray()) {
            in.readFully(offset, dst.array(), dst.arrayOffset() + dst.position(), n);
        } else {
            byte[] bytes = new byte[n];
            in.readFully(offset, bytes, 0, n);
            dst.put(bytes, 0, n);
            return n;
        }
        dst.position(dst.position() + n);
        return n;
    }

    @Override
    public Check sibling(String location) {
        return siblings.computeIfAbsent(location, this::check);
    }

    private Check check(String location) {
        Check refused = ExternalFiles.lexical(location);
        if (refused != null) {
            return refused;
        }
        Path folder = path.getParent();
        Path current = folder;
        FileStatus status = null;
        try {
            String[] segments = location.split("[/\\\\]");
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].isEmpty() || segments[i].equals(".")) {
                    continue;
                }
                current = new Path(current, segments[i]);
                try {
                    status = linkStatus(current);
                } catch (FileNotFoundException e) {
                    return new Check(Status.MISSING, "no such file", -1);
                }
                if (status.isSymlink()) {
                    return new Check(Status.UNSAFE_FILE, "is a symbolic link", -1);
                }
                if (i < segments.length - 1 && !status.isDirectory()) {
                    return new Check(Status.MISSING, "no such file", -1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Check(Status.MISSING, "cannot stat: " + e.getClass().getSimpleName(), -1);
        }
        if (status == null || current.equals(folder)) {
            return new Check(Status.OUTSIDE_FOLDER, "resolves outside the model folder", -1);
        }
        if (status.isDirectory()) {
            return new Check(Status.UNSAFE_FILE, "is a directory", -1);
        }
        if (!status.isFile()) {
            return new Check(Status.UNSAFE_FILE, "is a device, FIFO or socket", -1);
        }
        return new Check(Status.PRESENT, "", status.getLen());
    }

    /**
     * The status of the entry itself, not of what a link points to. Hadoop reports local links only
     * when symlinks are enabled process-wide, so the local disk is asked directly; HDFS reports them
     * (and refuses to resolve them while symlinks are disabled, which lands here as "cannot stat").
     */
    private FileStatus linkStatus(Path p) throws IOException {
        if (fs instanceof RawLocalFileSystem) {
            java.nio.file.Path local = java.nio.file.Path.of(p.toUri());
            if (java.nio.file.Files.isSymbolicLink(local)) {
                return new FileStatus(0, false, 1, 0, 0, 0, null, null, null, p, p);
            }
        }
        try {
            return fs.getFileLinkStatus(p);
        } catch (UnsupportedOperationException e) {
            return fs.getFileStatus(p);
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
