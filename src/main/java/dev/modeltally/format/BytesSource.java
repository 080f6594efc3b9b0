package dev.modeltally.format;

import java.nio.ByteBuffer;

/** A Source over bytes in memory (tests, fuzzers, small entries); it has no siblings. */
public final class BytesSource extends Source {

    private final String name;
    private final byte[] bytes;

    public BytesSource(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    protected int readAt(long offset, ByteBuffer dst) {
        if (offset >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), bytes.length - offset);
        dst.put(bytes, (int) offset, n);
        return n;
    }

    @Override
    public ExternalFiles.Check sibling(String location) {
        ExternalFiles.Check refused = ExternalFiles.lexical(location);
        return refused != null ? refused
                : new ExternalFiles.Check(ExternalFiles.Status.MISSING, "no such file (in-memory model)", -1);
    }
}
