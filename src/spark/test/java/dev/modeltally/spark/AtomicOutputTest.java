package dev.modeltally.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job that fails half-way leaves nothing; one that succeeds leaves exactly its folder. */
class AtomicOutputTest {

    @TempDir
    Path work;

    @Test
    void aFailureHalfWayLeavesNoTrace() throws IOException {
        Path target = work.resolve("out");
        AtomicOutput output = AtomicOutput.prepare(target.toString(), new Configuration());
        IOException thrown = assertThrows(IOException.class, () -> output.commit(temp -> {
            FileSystem fs = temp.getFileSystem(new Configuration());
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(temp, "part-00000"))) {
                out.write("{\"path\":\"half\"}\n".getBytes());
            }
            throw new IOException("executor lost");
        }));
        assertEquals("executor lost", thrown.getMessage());
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void successRenamesTheWholeFolder() throws IOException {
        Path target = work.resolve("out");
        AtomicOutput output = AtomicOutput.prepare(target.toString(), new Configuration());
        output.commit(temp -> {
            FileSystem fs = temp.getFileSystem(new Configuration());
            fs.create(new org.apache.hadoop.fs.Path(temp, "part-00000")).close();
        });
        assertTrue(Files.isRegularFile(target.resolve("part-00000")));
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(target), left.toList());
        }
    }
}
