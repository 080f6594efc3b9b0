package dev.modeltally.format;

import dev.modeltally.ir.IoStats;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Random access to one model file, wherever it is stored: its size, positional reads, and a
 * metadata check of the files it refers to (ONNX external data). Every reader reads through a
 * Source, so a remote store (HDFS, S3 through Hadoop) is read by ranges, metadata only, and every
 * report can say how many bytes reading it took.
 *
 * <p>Implementations supply {@link #readAt}; this class counts what it returns. A Source is used by
 * one analysis at a time; {@link #stats} may be read from any thread.
 */
public abstract class Source implements Closeable {

    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong mapped = new AtomicLong();

    /** How reports name the file: a local path as given, or a URI. */
    public abstract String name();

    /** The last segment of the name (for extension ties and messages), e.g. {@code model.onnx}. */
    public String fileName() {
        String n = name();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        return slash < 0 ? n : n.substring(slash + 1);
    }

    /** The file's length in bytes. */
    public abstract long size() throws IOException;

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code offset} into {@code dst} (as
     * {@link java.nio.channels.FileChannel#read(ByteBuffer, long)}): the count read, -1 at or past
     * the end. May read fewer bytes than asked.
     */
    protected abstract int readAt(long offset, ByteBuffer dst) throws IOException;

    /**
     * Checks, by metadata only, the file {@code location} (relative, as an ONNX external_data
     * location) next to this one, with the rules of {@link ExternalFiles}: inside the model's folder,
     * no absolute path or {@code ..}, no symbolic or hard link, device, FIFO or folder. Nothing is opened.
     */
    public abstract ExternalFiles.Check sibling(String location);

    /**
     * A read-only memory map of bytes {@code [offset, offset + length)}, or null where the store
     * cannot map (the default; remote sources). Used where a library would otherwise allocate
     * buffers as large as a hostile header says (jhdf reading HDF5 headers): slices of a map
     * allocate nothing. Pages touched through a map are not counted as read; the mapped length
     * is counted apart ({@link IoStats#bytesMapped}).
     */
    public final ByteBuffer map(long offset, long length) throws IOException {
        ByteBuffer b = mapAt(offset, length);
        if (b != null) {
            mapped.addAndGet(b.remaining());
        }
        return b;
    }

    /** What {@link #map} returns, before counting; null where the store cannot map. */
    protected ByteBuffer mapAt(long offset, long length) throws IOException {
        return null;
    }

    /** A positional read, counted in {@link #stats}. */
    public final int read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IOException("negative offset " + offset);
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n = readAt(offset, dst);
        reads.incrementAndGet();
        if (n > 0) {
            bytesRead.addAndGet(n);
        }
        return n;
    }

    /** Exactly {@code length} bytes at {@code offset} (little-endian order); EOFException if the file ends first. */
    public final ByteBuffer readFully(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int n = read(offset + b.position(), b);
            if (n < 0) {
                throw new EOFException("file ends at byte " + (offset + b.position()) + " of a "
                        + length + "-byte read at " + offset);
            }
        }
        return b.flip();
    }

    /** Bytes read, read calls and bytes mapped so far. */
    public final IoStats stats() {
        return new IoStats(bytesRead.get(), reads.get(), mapped.get());
    }

    @Override
    public void close() throws IOException {
    }

    @Override
    public String toString() {
        return name();
    }
}
