package dev.modeltally.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A range of a Source as an InputStream whose {@link #skip} moves the position without reading: a
 * protobuf walker over it skips tensor bytes (raw_data) for free, locally and remotely alike. It
 * keeps no buffer of its own; wrap it in one (CodedInputStream has one) for small reads.
 *
 * <p>After a skip the next read fetches only a few KiB (the next tensor's header, usually), and
 * reads grow by doubling while the walk goes on sequentially: a file of many tensors costs a few
 * KiB per tensor, not one whole buffer per tensor.
 */
public final class SourceInput extends InputStream {

    private final Source source;
    private static final int FIRST_READ = 4 * 1024;

    private final long end;
    private long position;
    private int chunk = FIRST_READ;

    /** Bytes {@code [start, start + length)} of {@code source}. */
    public SourceInput(Source source, long start, long length) {
        this.source = source;
        this.position = start;
        this.end = start + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int want = (int) Math.min(Math.min(len, chunk), end - position);
        int n = source.read(position, ByteBuffer.wrap(b, off, want));
        if (n > 0) {
            position += n;
            chunk = (int) Math.min(1 << 20, chunk * 2L);
        }
        return n == 0 ? -1 : n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, end - position));
        position += k;
        if (k > 0) {
            chunk = FIRST_READ;
        }
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, end - position));
    }
}
