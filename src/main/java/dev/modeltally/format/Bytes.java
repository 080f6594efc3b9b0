package dev.modeltally.format;

import java.nio.ByteBuffer;

/** Byte comparisons on a file's head. */
public final class Bytes {

    private Bytes() {
    }

    /** Whether {@code head} (from its position) starts with {@code magic}. */
    public static boolean startsWith(ByteBuffer head, byte[] magic) {
        return at(head, 0, magic);
    }

    /** Whether {@code magic} appears {@code offset} bytes after the position of {@code head}. */
    public static boolean at(ByteBuffer head, int offset, byte[] magic) {
        if (head.remaining() < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head.get(head.position() + offset + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
