package dev.modeltally.format;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes {@code [offset, offset + length)} of another Source as a Source of its own (a stored zip
 * entry read in place). Reads go to the parent, so they count in the parent's stats too.
 */
public final class SliceSource extends Source {

    private final Source parent;
    private final long offset;
    private final long length;
    private final String name;

    public SliceSource(Source parent, long offset, long length, String name) {
        this.parent = parent;
        this.offset = offset;
        this.length = length;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    protected int readAt(long at, ByteBuffer dst) throws IOException {
        if (at >= length) {
            return -1;
        }
        int limit = dst.limit();
        dst.limit(dst.position() + (int) Math.min(dst.remaining(), length - at));
        try {
            return parent.read(offset + at, dst);
        } finally {
            dst.limit(limit);
        }
    }

    @Override
    protected ByteBuffer mapAt(long at, long len) throws IOException {
        // the parent counts the mapped bytes (this slice serves none of its own)
        return at < 0 || len < 0 || at > length - len ? null : parent.map(offset + at, len);
    }

    @Override
    public ExternalFiles.Check sibling(String location) {
        return parent.sibling(location);
    }
}
