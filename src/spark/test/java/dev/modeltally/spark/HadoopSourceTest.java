package dev.modeltally.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modeltally.format.ExternalFiles.Check;
import dev.modeltally.format.ExternalFiles.Status;
import dev.modeltally.ir.IoStats;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hadoop source over the local file system: positional reads counted, siblings by the local rules. */
class HadoopSourceTest {

    @TempDir
    Path dir;

    private HadoopSource model() throws IOException {
        Files.createDirectories(dir.resolve("model/sub"));
        Files.createDirectories(dir.resolve("model/folder"));
        Files.writeString(dir.resolve("model/model.onnx"), "0123456789");
        Files.write(dir.resolve("model/sub/w.bin"), new byte[1234]);
        Files.write(dir.resolve("model/flat.bin"), new byte[7]);
        Files.write(dir.resolve("outside.bin"), new byte[3]);
        Files.createSymbolicLink(dir.resolve("model/link.bin"), dir.resolve("outside.bin"));
        return HadoopSource.open(new org.apache.hadoop.fs.Path(dir.resolve("model/model.onnx").toUri()),
                new Configuration());
    }

    @Test
    void readsArePositionalAndCounted() throws IOException {
        try (HadoopSource s = model()) {
            assertEquals(10, s.size());
            assertEquals("model.onnx", s.fileName());
            assertEquals("345", StandardCharsets.US_ASCII.decode(s.readFully(3, 3)).toString());
            ByteBuffer tail = ByteBuffer.allocate(8);
            assertEquals(2, s.read(8, tail));
            assertEquals(-1, s.read(10, ByteBuffer.allocate(1)));
            assertThrows(EOFException.class, () -> s.readFully(9, 2));
            IoStats io = s.stats();
            assertEquals(3 + 2 + 1, io.bytesRead());
        }
    }

    @Test
    void siblingsFollowTheLocalRules() throws IOException {
        try (HadoopSource s = model()) {
            assertEquals(new Check(Status.PRESENT, "", 1234), s.sibling("sub/w.bin"));
            assertEquals(new Check(Status.PRESENT, "", 7), s.sibling("flat.bin"));
            assertEquals(Status.MISSING, s.sibling("nope.bin").status());
            assertEquals(Status.MISSING, s.sibling("flat.bin/x").status());
            assertEquals(new Check(Status.UNSAFE_FILE, "is a directory", -1), s.sibling("folder"));
            assertEquals(new Check(Status.UNSAFE_FILE, "is a symbolic link", -1), s.sibling("link.bin"));
            assertEquals(Status.OUTSIDE_FOLDER, s.sibling("../outside.bin").status());
            assertEquals(Status.OUTSIDE_FOLDER, s.sibling(dir.resolve("outside.bin").toString()).status());
            assertEquals(Status.OUTSIDE_FOLDER, s.sibling(".").status());
            assertEquals(Status.OUTSIDE_FOLDER, s.sibling("").status());
        }
    }
}
