package dev.modeltally.format.keras;

import dev.modeltally.format.CorruptModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Finds where one entry's bytes start in a zip file. {@link java.util.zip.ZipFile} lists entries but
 * does not say where their data is; a stored (uncompressed) entry can be read in place once its local
 * header is found: central directory (ZIP64 aware) → local header offset → header length. Every
 * offset read from the file is checked against the file's size.
 */
final class ZipLocator {

    /** An entry: compression method, sizes, and the absolute offset of its first data byte. */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset) {
    }

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final long MAX_CENTRAL_DIRECTORY = 64L << 20;

    private ZipLocator() {
    }

    static Entry locate(FileChannel ch, String wanted, int maxEntries) throws IOException, CorruptModelException {
        long fileSize = ch.size();
        int tailLen = (int) Math.min(fileSize, 22 + 65_535);
        ByteBuffer tail = read(ch, fileSize - tailLen, tailLen);
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
        long entries = Short.toUnsignedLong(tail.getShort(eocd + 10));
        long cdSize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
        long cdOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
        if (entries == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            long eocdAbs = fileSize - tailLen + eocd;
            if (eocdAbs < 20) {
                throw new CorruptModelException("zip: ZIP64 locator missing");
            }
            ByteBuffer loc = read(ch, eocdAbs - 20, 20);
            if (loc.getInt(0) != ZIP64_LOCATOR) {
                throw new CorruptModelException("zip: ZIP64 locator missing");
            }
            long z64 = loc.getLong(8);
            check(z64, 56, fileSize, "ZIP64 end of central directory");
            ByteBuffer rec = read(ch, z64, 56);
            if (rec.getInt(0) != ZIP64_EOCD) {
                throw new CorruptModelException("zip: bad ZIP64 end of central directory");
            }
            entries = rec.getLong(32);
            cdSize = rec.getLong(40);
            cdOffset = rec.getLong(48);
        }
        if (entries > maxEntries) {
            throw new CorruptModelException("zip: " + entries + " entries exceed the limit " + maxEntries);
        }
        if (cdSize > MAX_CENTRAL_DIRECTORY) {
            throw new CorruptModelException("zip: central directory of " + cdSize + " bytes exceeds the limit "
                    + MAX_CENTRAL_DIRECTORY);
        }
        check(cdOffset, cdSize, fileSize, "central directory");
        ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
        int p = 0;
        for (long i = 0; i < entries; i++) {
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
            if (name.equals(wanted)) {
                long[] z = {usize, csize, localOffset};
                zip64(cd, p + 46 + nameLen, extraLen, z);
                return local(ch, name, method, z[1], z[0], z[2], fileSize);
            }
            p = next;
        }
        return null;
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

    private static Entry local(FileChannel ch, String name, int method, long csize, long usize, long offset,
                               long fileSize) throws IOException, CorruptModelException {
        check(offset, 30, fileSize, "local header of " + name);
        ByteBuffer h = read(ch, offset, 30);
        if (h.getInt(0) != LOCAL) {
            throw new CorruptModelException("zip: no local header where the central directory puts " + name);
        }
        int nameLen = Short.toUnsignedInt(h.getShort(26));
        int extraLen = Short.toUnsignedInt(h.getShort(28));
        ByteBuffer localName = read(ch, offset + 30, nameLen);
        byte[] bytes = new byte[nameLen];
        localName.get(0, bytes);
        if (!new String(bytes, StandardCharsets.UTF_8).equals(name)) {
            throw new CorruptModelException("zip: local header name differs from the central directory's for " + name);
        }
        long data = offset + 30 + nameLen + extraLen;
        check(data, csize, fileSize, "data of " + name);
        return new Entry(name, method, csize, usize, data);
    }

    private static void check(long offset, long length, long fileSize, String what) throws CorruptModelException {
        if (offset < 0 || length < 0 || offset > fileSize || length > fileSize - offset) {
            throw new CorruptModelException("zip: " + what + " (" + length + " bytes at " + offset
                    + ") lies outside the " + fileSize + "-byte file (truncated archive?)");
        }
    }

    private static ByteBuffer read(FileChannel ch, long offset, int len) throws IOException, CorruptModelException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int n = ch.read(b, offset + b.position());
            if (n < 0) {
                throw new CorruptModelException("zip: file ends at byte " + (offset + b.position()));
            }
        }
        return b.flip();
    }
}
