package dev.modeltally.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import dev.modeltally.testing.Fixtures;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not regular files, or are huge and empty, named like models: one line each, at once;
 * nothing but a regular file is ever opened (a FIFO's open() would block).
 */
class SpecialFilesTest {

    /** In-process, the answer comes well within a second; the bound leaves room for a loaded machine. */
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(3);

    @TempDir
    Path tmp;

    private static String inspectError(Path p) {
        long start = System.nanoTime();
        Cli c = Cli.run("inspect", p.toString());
        long took = System.nanoTime() - start;
        assertEquals(2, c.exitCode(), c.out() + c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
        assertTrue(took < MAX_NANOS, "took " + took / 1_000_000 + " ms");
        return c.err();
    }

    private Path fifo(String name) throws Exception {
        Path p = tmp.resolve(name);
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("no mkfifo here: " + e.getMessage());
            return null;
        }
        Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        return p;
    }

    @Test
    @Timeout(20)
    void fifoIsNeverOpened() throws Exception {
        String e = inspectError(fifo("model.onnx"));
        assertTrue(e.contains("is a FIFO (named pipe), not a regular file: not opened"), e);
    }

    @Test
    @Timeout(20)
    void deviceThroughALink() throws Exception {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero");
        Path link = tmp.resolve("model.onnx");
        try {
            Files.createSymbolicLink(link, zero);
        } catch (UnsupportedOperationException | java.io.IOException e) {
            Assumptions.abort("no symbolic links here");
        }
        String e = inspectError(link);
        assertTrue(e.contains("is a character device (through a link to /dev/zero)"), e);
    }

    @Test
    void directoryNamedLikeAModel() throws Exception {
        String e = inspectError(Files.createDirectory(tmp.resolve("model.onnx")));
        assertTrue(e.contains("is a directory, not a model file"), e);
    }

    @Test
    @Timeout(30)
    void hugeSparseFile() throws Exception {
        for (String name : new String[] {"big.onnx", "big.h5", "big.keras"}) {
            Path p = tmp.resolve(name);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(100L << 30); // 100 GiB, sparse: nothing is written
            } catch (java.io.IOException e) {
                Assumptions.abort("cannot make a 100 GiB sparse file here: " + e.getMessage());
            }
            String e = inspectError(p);
            assertTrue(e.contains(name), e);
            Files.delete(p);
        }
    }

    /** scan: an error row for each, and it goes on to the model beside them. */
    @Test
    @Timeout(60)
    void scanGoesOn() throws Exception {
        Path zoo = Files.createDirectory(tmp.resolve("zoo"));
        tmp = zoo;
        fifo("a-fifo.onnx");
        Files.createDirectory(zoo.resolve("b-dir.onnx"));
        if (Files.exists(Path.of("/dev/zero"))) {
            Files.createSymbolicLink(zoo.resolve("c-zero.onnx"), Path.of("/dev/zero"));
        }
        Files.copy(Fixtures.path("onnx/cnn_seed.onnx"), zoo.resolve("d-ok.onnx"));
        Cli c = Cli.run("scan", "--format", "csv", "-q", zoo.toString());
        assertEquals(0, c.exitCode(), c.err());
        String out = c.out();
        assertTrue(out.contains("a-fifo.onnx") && out.contains("is a FIFO"), out);
        assertTrue(out.contains("b-dir.onnx") && out.contains("is a directory"), out);
        assertTrue(!Files.exists(zoo.resolve("c-zero.onnx")) || out.contains("is a character device"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("d-ok.onnx") && l.contains(",onnx,2469,")), out);
    }
}
