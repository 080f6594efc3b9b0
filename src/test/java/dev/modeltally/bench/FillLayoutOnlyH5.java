package dev.modeltally.bench;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a real-sized copy of a layout-only HDF5 fixture (datasets created by h5py with shape and
 * dtype but never written): every dataset gets its full byte size of zeros appended to the file and
 * its contiguous data layout message pointed at them; the superblock's end-of-file address is
 * updated. All other bytes stay exactly as Keras and h5py wrote them, so a benchmark reads the same
 * HDF5 structure, with the weight bytes really on disk.
 *
 * <pre>java -cp target/test-classes:target/modeltally.jar dev.modeltally.bench.FillLayoutOnlyH5 IN OUT</pre>
 */
public final class FillLayoutOnlyH5 {

    /** Layout message (type 8, 24 bytes) in a v1 object header: version 3, contiguous, undefined address. */
    private static final byte[] HEADER = {8, 0, 24, 0};
    private static final byte[] UNALLOCATED = {3, 1, -1, -1, -1, -1, -1, -1, -1, -1};
    private static final long ALIGN = 4096;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FillLayoutOnlyH5 LAYOUT_ONLY.h5 OUT.h5");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long[] want = datasetSizes(in);
        byte[] bytes = Files.readAllBytes(in);
        List<Integer> at = new ArrayList<>();
        for (int i = 8; i + 26 <= bytes.length; i++) {
            if (matches(bytes, i - 8, HEADER) && matches(bytes, i, UNALLOCATED)) {
                at.add(i);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long total = 0;
        for (int i : at) {
            total += b.getLong(i + 10);
        }
        if (at.size() != want[0] || total != want[1]) {
            throw new IllegalStateException("found " + at.size() + " unallocated datasets of " + total
                    + " bytes; the file has " + want[0] + " datasets of " + want[1] + " bytes");
        }
        int eofField = switch (bytes[8]) { // superblock version: v0 and v1 differ by 4 bytes before the addresses
            case 0 -> 40;
            case 1 -> 44;
            default -> throw new IllegalStateException("superblock version " + bytes[8] + " not supported");
        };
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long end = align(ch.size());
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (int i : at) {
                long size = b.getLong(i + 10);
                put(ch, i + 2, end);
                for (long done = 0; done < size; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), size - done));
                    done += ch.write(zeros, end + done);
                }
                end = align(end + size);
            }
            put(ch, eofField, end);
            if (ch.size() < end) {
                ch.write(ByteBuffer.allocate(1), end - 1);
            }
        }
        System.out.printf("wrote %s: %d datasets, %,d bytes of weights%n", out, at.size(), total);
    }

    private static long[] datasetSizes(Path in) {
        long[] n = new long[2];
        try (HdfFile f = new HdfFile(in)) {
            walk(f, n);
        }
        return n;
    }

    private static void walk(Group g, long[] n) {
        for (Node c : g.getChildren().values()) {
            if (c instanceof Dataset d) {
                n[0]++;
                n[1] += d.getSizeInBytes();
            } else if (c instanceof Group child) {
                walk(child, n);
            }
        }
    }

    private static boolean matches(byte[] b, int at, byte[] pattern) {
        for (int k = 0; k < pattern.length; k++) {
            if (b[at + k] != pattern[k]) {
                return false;
            }
        }
        return true;
    }

    private static void put(FileChannel ch, long at, long value) throws IOException {
        ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), at);
    }

    private static long align(long v) {
        return (v + ALIGN - 1) / ALIGN * ALIGN;
    }
}
