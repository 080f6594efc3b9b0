package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.format.CorruptModelException;
import dev.modeltally.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a stored entry's bytes inside a zip, including the ZIP64 form large archives use. */
class ZipLocatorTest {

    @TempDir
    Path tmp;

    @Test
    void locatesTheWeightsEntryOfAKerasArchive() throws Exception {
        Path p = Fixtures.path("keras/conv_pool_dense.keras");
        ZipLocator.Entry e;
        try (FileChannel ch = FileChannel.open(p)) {
            e = ZipLocator.locate(ch, "model.weights.h5", 100);
            assertNull(ZipLocator.locate(ch, "absent.bin", 100));
        }
        try (ZipFile z = new ZipFile(p.toFile())) {
            ZipEntry w = z.getEntry("model.weights.h5");
            assertEquals(w.getSize(), e.size());
            byte[] viaZip = z.getInputStream(w).readAllBytes();
            byte[] inPlace = Arrays.copyOfRange(Files.readAllBytes(p), (int) e.dataOffset(),
                    (int) (e.dataOffset() + e.size()));
            assertTrue(Arrays.equals(viaZip, inPlace), "the located bytes are the entry's bytes");
        }
    }

    @Test
    void readsZip64Records() throws Exception {
        byte[] data = "not really hdf5".getBytes(StandardCharsets.UTF_8);
        byte[] name = "model.weights.h5".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // local header, sizes in a ZIP64 extra field
        out.write(le(30 + name.length).putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                .putInt(0).putInt(0).putInt(0xFFFFFFFF).putInt(0xFFFFFFFF).putShort((short) name.length)
                .putShort((short) 20).put(name).array());
        out.write(le(20).putShort((short) 1).putShort((short) 16).putLong(data.length).putLong(data.length).array());
        long dataAt = out.size();
        out.write(data);
        long cdAt = out.size();
        out.write(le(46 + name.length).putInt(0x02014b50).putShort((short) 45).putShort((short) 45)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0xFFFFFFFF).putInt(0xFFFFFFFF)
                .putShort((short) name.length).putShort((short) 28).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(0xFFFFFFFF).put(name).array());
        out.write(le(28).putShort((short) 1).putShort((short) 24).putLong(data.length).putLong(data.length)
                .putLong(0).array());
        long cdSize = out.size() - cdAt;
        long z64At = out.size();
        out.write(le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(1).putLong(1).putLong(cdSize).putLong(cdAt).array());
        out.write(le(20).putInt(0x07064b50).putInt(0).putLong(z64At).putInt(1).array());
        out.write(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xFFFF)
                .putShort((short) 0xFFFF).putInt(0xFFFFFFFF).putInt(0xFFFFFFFF).putShort((short) 0).array());
        Path p = Files.write(tmp.resolve("zip64.keras"), out.toByteArray());
        try (FileChannel ch = FileChannel.open(p)) {
            ZipLocator.Entry e = ZipLocator.locate(ch, "model.weights.h5", 10);
            assertEquals(dataAt, e.dataOffset());
            assertEquals(data.length, e.size());
            assertEquals(ZipEntry.STORED, e.method());
        }
    }

    @Test
    void offsetsOutsideTheFileAreCorrupt() throws Exception {
        byte[] zip = Files.readAllBytes(Fixtures.path("keras/conv_pool_dense.keras"));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = zip.length - 22;
        assertEquals(0x06054b50, b.getInt(eocd));
        b.putInt(eocd + 16, zip.length + 1000); // central directory offset past the end
        Path p = Files.write(tmp.resolve("bad.keras"), zip);
        try (FileChannel ch = FileChannel.open(p)) {
            CorruptModelException e = assertThrows(CorruptModelException.class,
                    () -> ZipLocator.locate(ch, "model.weights.h5", 10));
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
