package dev.modeltally.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory map of a whole file. Mapping costs address space, not heap: pages are read
 * from disk only where a reader looks, so skipping tensor bytes keeps them off memory entirely.
 */
public final class MappedFile {

    private MappedFile() {
    }

    /** Maps {@code path}; files over 2 GiB cannot be one buffer and are refused with {@code why}. */
    public static ByteBuffer map(Path path, String tooBigMessage) throws IOException, ModelReadException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new UnsupportedModelException(tooBigMessage);
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
    }
}
