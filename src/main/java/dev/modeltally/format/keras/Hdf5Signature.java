package dev.modeltally.format.keras;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;

/** The HDF5 signature, at offset 0 or after a user block of 512, 1024, 2048, ... bytes. */
final class Hdf5Signature {

    private static final byte[] MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Hdf5Signature() {
    }

    static boolean at(ByteBuffer head, int offset) {
        if (head.limit() - head.position() < offset + MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head.get(head.position() + offset + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether opening the file as HDF5 is worth it: a signature in the head, or an HDF5 extension
     * (a user block larger than the head hides the signature from it).
     */
    static boolean plausible(Path path, ByteBuffer head) {
        return plausible(path.getFileName() == null ? "" : path.getFileName().toString(), head);
    }

    static boolean plausible(String fileName, ByteBuffer head) {
        for (int off = 0; off + MAGIC.length <= head.limit() - head.position(); off = off == 0 ? 512 : off * 2) {
            if (at(head, off)) {
                return true;
            }
        }
        String name = fileName.toLowerCase(Locale.ROOT);
        return head.remaining() >= 4096 && (name.endsWith(".h5") || name.endsWith(".hdf5"));
    }
}
