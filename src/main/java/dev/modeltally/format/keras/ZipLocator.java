package dev.modeltally.format.keras;

import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.ExternalFiles;
import dev.modeltally.format.Source;
import dev.modeltally.format.ZipDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where one entry's bytes start in a zip on a FileChannel: {@link ZipDirectory} (which readers use
 * through a Source) answering for a channel, for tools and tests.
 */
final class ZipLocator {

    /** An entry: compression method, sizes, and the absolute offset of its first data byte. */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset) {
    }

    private ZipLocator() {
    }

    static Entry locate(FileChannel ch, String wanted, int maxEntries) throws IOException, CorruptModelException {
        Source s = new Source() {
            @Override
            public String name() {
                return "zip";
            }

            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            protected int readAt(long offset, ByteBuffer dst) throws IOException {
                return ch.read(dst, offset);
            }

            @Override
            public ExternalFiles.Check sibling(String location) {
                return new ExternalFiles.Check(ExternalFiles.Status.MISSING, "no siblings", -1);
            }
        };
        ZipDirectory zip = ZipDirectory.read(s, maxEntries);
        ZipDirectory.Entry e = zip.entry(wanted);
        if (e == null) {
            return null;
        }
        return new Entry(e.name(), e.method(), e.compressedSize(), e.size(), zip.dataOffset(e));
    }
}
