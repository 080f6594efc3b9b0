package dev.modeltally.format;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A zip archive's central directory, read by range from a Source: the tail (end of central
 * directory, ZIP64 aware), then the directory itself; entry data is never read here. A stored entry
 * is then read in place once its local header is found ({@link #dataOffset}). Every offset read
 * from the file is checked against the file's size, and the entry count and directory size are
 * bounded before anything is allocated.
 */
public final class ZipDirectory {

    /** One central directory entry: compression method, sizes, and where its local header is. */
    public record Entry(String name, int method, long compressedSize, long size, long localHeader) {
        public boolean stored() {
            return method == 0;
        }
    }

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final long MAX_CENTRAL_DIRECTORY = 64L << 20;
    /** JSON compresses about 10:1; far more is a zip bomb whatever the size limit says. */
    private static final long MAX_RATIO = 200;

    private final Source source;
    private final Map<String, Entry> entries;
    private final long declaredEntries;

    private ZipDirectory(Source source, Map<String, Entry> entries, long declaredEntries) {
        this.source = source;
        this.entries = entries;
        this.declaredEntries = declaredEntries;
    }

    /** Reads the directory; more than {@code maxEntries} entries is refused before they are read. */
    public static ZipDirectory read(Source source, int maxEntries) throws IOException, CorruptModelException {
        long fileSize = source.size();
        int tailLen = (int) Math.min(fileSize, 22 + 65_535);
        ByteBuffer tail = read(source, fileSize - tailLen, tailLen);
        int eocd = -1;
        for (int i = tailLen - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new CorruptModelException("zip: end of central directory not found (truncated archive?)");
        }
        long count = Short.toUnsignedLong(tail.getShort(eocd + 10));
        long cdSize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
        long cdOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            long eocdAbs = fileSize - tailLen + eocd;
            if (eocdAbs < 20) {
                throw new CorruptModelException("zip: ZIP64 locator missing");
            }
            ByteBuffer loc = read(source, eocdAbs - 20, 20);
            if (loc.getInt(0) != ZIP64_LOCATOR) {
                throw new CorruptModelException("zip: ZIP64 locator missing");
            }
            long z64 = loc.getLong(8);
            check(z64, 56, fileSize, "ZIP64 end of central directory");
            ByteBuffer rec = read(source, z64, 56);
            if (rec.getInt(0) != ZIP64_EOCD) {
                throw new CorruptModelException("zip: bad ZIP64 end of central directory");
            }
            count = rec.getLong(32);
            cdSize = rec.getLong(40);
            cdOffset = rec.getLong(48);
        }
        if (count > maxEntries || count < 0) {
            throw new CorruptModelException("zip: " + count + " entries exceed the limit " + maxEntries
                    + " for a model archive");
        }
        if (cdSize > MAX_CENTRAL_DIRECTORY) {
            throw new CorruptModelException("zip: central directory of " + cdSize + " bytes exceeds the limit "
                    + MAX_CENTRAL_DIRECTORY);
        }
        check(cdOffset, cdSize, fileSize, "central directory");
        ByteBuffer cd = read(source, cdOffset, (int) cdSize);
        Map<String, Entry> out = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL) {
                throw new CorruptModelException("zip: malformed central directory entry " + i);
            }
            int method = Short.toUnsignedInt(cd.getShort(p + 10));
            long csize = Integer.toUnsignedLong(cd.getInt(p + 20));
            long usize = Integer.toUnsignedLong(cd.getInt(p + 24));
            int nameLen = Short.toUnsignedInt(cd.getShort(p + 28));
            int extraLen = Short.toUnsignedInt(cd.getShort(p + 30));
            int commentLen = Short.toUnsignedInt(cd.getShort(p + 32));
            long localOffset = Integer.toUnsignedLong(cd.getInt(p + 42));
            int next = p + 46 + nameLen + extraLen + commentLen;
            if (next > cd.limit()) {
                throw new CorruptModelException("zip: central directory entry " + i + " runs past its end");
            }
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            long[] z = {usize, csize, localOffset};
            zip64(cd, p + 46 + nameLen, extraLen, z);
            out.putIfAbsent(name, new Entry(name, method, z[1], z[0], z[2]));
            p = next;
        }
        return new ZipDirectory(source, Collections.unmodifiableMap(out), count);
    }

    /** Replaces 0xFFFFFFFF sizes/offset by their values from the ZIP64 extra field (id 1), in order. */
    private static void zip64(ByteBuffer cd, int at, int len, long[] z) {
        int end = at + len;
        while (at + 4 <= end) {
            int id = Short.toUnsignedInt(cd.getShort(at));
            int size = Short.toUnsignedInt(cd.getShort(at + 2));
            if (id == 1) {
                int q = at + 4;
                for (int k = 0; k < 3; k++) {
                    if (z[k] == 0xFFFFFFFFL && q + 8 <= at + 4 + size && q + 8 <= end) {
                        z[k] = cd.getLong(q);
                        q += 8;
                    }
                }
                return;
            }
            at += 4 + size;
        }
    }

    public Entry entry(String name) {
        return entries.get(name);
    }

    /** Entry names in directory order (each once). */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    public long size() {
        return declaredEntries;
    }

    /** The absolute offset of an entry's first data byte, from its local header (checked against the directory). */
    public long dataOffset(Entry e) throws IOException, CorruptModelException {
        long fileSize = source.size();
        check(e.localHeader(), 30, fileSize, "local header of " + e.name());
        ByteBuffer h = read(source, e.localHeader(), 30);
        if (h.getInt(0) != LOCAL) {
            throw new CorruptModelException("zip: no local header where the central directory puts " + e.name());
        }
        int nameLen = Short.toUnsignedInt(h.getShort(26));
        int extraLen = Short.toUnsignedInt(h.getShort(28));
        check(e.localHeader() + 30, nameLen, fileSize, "local header of " + e.name());
        ByteBuffer localName = read(source, e.localHeader() + 30, nameLen);
        byte[] bytes = new byte[nameLen];
        localName.get(0, bytes);
        if (!new String(bytes, StandardCharsets.UTF_8).equals(e.name())) {
            throw new CorruptModelException("zip: local header name differs from the central directory's for "
                    + e.name());
        }
        long data = e.localHeader() + 30 + nameLen + extraLen;
        check(data, e.compressedSize(), fileSize, "data of " + e.name());
        return data;
    }

    /** A stored entry's bytes as a Source read in place. */
    public Source stored(Entry e) throws IOException, ModelReadException {
        if (!e.stored() || e.compressedSize() != e.size()) {
            throw new CorruptModelException("zip: " + e.name() + " is not stored uncompressed (method " + e.method()
                    + ")");
        }
        return new SliceSource(source, dataOffset(e), e.size(), source.name() + "!" + e.name());
    }

    /**
     * An entry's bytes, stored or deflated, refusing more than {@code max} whatever its header
     * claims; {@code option} names the limit's command-line option in the message.
     */
    public byte[] readBounded(Entry e, long max, String option) throws IOException, ModelReadException {
        Limits.check(e.name() + " size in bytes", e.size(), max, option);
        long packed = e.compressedSize();
        if (!e.stored() && packed > 0 && e.size() > MAX_RATIO * packed && e.size() > 1 << 20) {
            throw new CorruptModelException(e.name() + " expands " + e.size() / packed
                    + " times (limit " + MAX_RATIO + "): refusing to inflate it");
        }
        if (e.method() != 0 && e.method() != 8) {
            throw new UnsupportedModelException(e.name() + " uses zip compression method " + e.method()
                    + " (only stored and deflate are read)");
        }
        long at = dataOffset(e);
        InputStream raw = new SourceInput(source, at, packed);
        int cap = (int) Math.min(max + 1, Integer.MAX_VALUE - 16);
        Inflater inflater = e.stored() ? null : new Inflater(true);
        try (InputStream in = inflater == null ? raw : new InflaterInputStream(raw, inflater, 8192)) {
            byte[] bytes = in.readNBytes(cap);
            Limits.check(e.name() + " size in bytes", bytes.length, max, option);
            return bytes;
        } catch (java.util.zip.ZipException | EOFException ex) {
            // An entry whose data ends early or does not inflate: the archive is broken, not the disk.
            throw new CorruptModelException(e.name() + " cannot be read from the archive: " + ex, ex);
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    private static void check(long offset, long length, long fileSize, String what) throws CorruptModelException {
        if (offset < 0 || length < 0 || offset > fileSize || length > fileSize - offset) {
            throw new CorruptModelException("zip: " + what + " (" + length + " bytes at " + offset
                    + ") lies outside the " + fileSize + "-byte file (truncated archive?)");
        }
    }

    private static ByteBuffer read(Source source, long offset, int len) throws IOException, CorruptModelException {
        try {
            return source.readFully(offset, len);
        } catch (EOFException e) {
            throw new CorruptModelException("zip: file ends at byte " + source.size());
        }
    }
}
