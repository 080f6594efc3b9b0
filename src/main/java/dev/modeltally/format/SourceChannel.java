package dev.modeltally.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only SeekableByteChannel over a Source, paged: reads are served from a few cached 64 KiB
 * pages, so a library that reads headers in many small pieces (jhdf) costs a handful of positional
 * reads instead of one per piece. Reads larger than a page go to the source directly. Closing the
 * channel does not close the source.
 */
public final class SourceChannel implements SeekableByteChannel {

    static final int PAGE = 64 * 1024;
    private static final int PAGES = 16;

    private final Source source;
    private final long size;
    private final Map<Long, ByteBuffer> pages = new LinkedHashMap<>(PAGES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ByteBuffer> e) {
            return size() > PAGES;
        }
    };
    private long position;
    private boolean open = true;

    public SourceChannel(Source source) throws IOException {
        this.source = source;
        this.size = source.size();
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    /** A positional read that leaves the channel's position alone. */
    public synchronized int read(ByteBuffer dst, long at) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (at >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.remaining() > PAGE) {
            int limit = dst.limit();
            dst.limit(dst.position() + (int) Math.min(dst.remaining(), size - at));
            try {
                int total = 0;
                while (dst.hasRemaining()) {
                    int n = source.read(at + total, dst);
                    if (n <= 0) {
                        break;
                    }
                    total += n;
                }
                return total == 0 ? -1 : total;
            } finally {
                dst.limit(limit);
            }
        }
        int total = 0;
        while (dst.hasRemaining() && at + total < size) {
            long p = at + total;
            ByteBuffer page = page(p / PAGE);
            int inPage = (int) (p % PAGE);
            if (inPage >= page.limit()) {
                break;
            }
            int n = Math.min(dst.remaining(), page.limit() - inPage);
            dst.put(page.duplicate().position(inPage).limit(inPage + n));
            total += n;
        }
        return total == 0 ? -1 : total;
    }

    private ByteBuffer page(long index) throws IOException {
        ByteBuffer page = pages.get(index);
        if (page == null) {
            long start = index * PAGE;
            int len = (int) Math.min(PAGE, size - start);
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining()) {
                if (source.read(start + b.position(), b) <= 0) {
                    break; // the file shrank: serve what there is
                }
            }
            page = b.flip();
            pages.put(index, page);
        }
        return page;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() {
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
        pages.clear();
    }
}
