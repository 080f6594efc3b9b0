package dev.modeltally.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .keras archives built to exhaust memory: each must end as a one-line error, quickly. */
class HostileArchiveTest {

    @TempDir
    Path dir;

    @Test
    void zipBombConfigIsRefusedWithoutInflatingIt() throws Exception {
        Path bomb = dir.resolve("bomb.keras");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry("config.json"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 256; i++) { // 256 MiB of whitespace (4x the limit), about 256 KB compressed
                zip.write(spaces);
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            zip.write(new byte[] {(byte) 0x89, 'H', 'D', 'F'});
            zip.closeEntry();
        }
        assertTrue(Files.size(bomb) < (8 << 20), "the bomb itself must be small: " + Files.size(bomb));
        long start = System.nanoTime();
        Cli c = Cli.run("inspect", bomb.toString());
        assertEquals(2, c.exitCode(), c.out() + c.err());
        assertTrue(c.err().contains("--max-json-bytes"), c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "took too long");
    }

    @Test
    void configLyingAboutItsSizeIsStillBounded() throws Exception {
        // a STORED-method header may claim a small size; the reader must stop at the limit anyway
        Path p = dir.resolve("deep.keras");
        try (OutputStream raw = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(raw)) {
            zip.putNextEntry(new ZipEntry("config.json"));
            byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            zip.write(deep);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            zip.closeEntry();
        }
        Cli c = Cli.run("inspect", p.toString());
        assertEquals(2, c.exitCode(), c.out() + c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
    }
}
