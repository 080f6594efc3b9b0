package dev.modeltally.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import dev.modeltally.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not models, found under a model's name: each gets one line saying what it is (exit 2). */
class NotAModelTest {

    @TempDir
    Path tmp;

    private static String inspectError(Path p) {
        Cli c = Cli.run("inspect", p.toString());
        assertEquals(2, c.exitCode(), c.out() + c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
        assertTrue(c.err().length() < 400, c.err());
        return c.err();
    }

    @Test
    void gitLfsPointer() {
        String e = inspectError(Fixtures.path("not-models/lfs-pointer.onnx"));
        assertTrue(e.contains("Git LFS pointer to a file of 553,438,055 bytes"), e);
        assertTrue(e.contains("never downloaded") && e.contains("git lfs pull"), e);
    }

    @Test
    void htmlErrorPage() {
        String e = inspectError(Fixtures.path("not-models/error-page.onnx"));
        assertTrue(e.contains("an HTML page (title \"404 Not Found\"), not a model"), e);
        assertTrue(e.contains("download probably failed"), e);
    }

    @Test
    void jsonErrorResponse() throws Exception {
        Path p = Files.writeString(tmp.resolve("model.onnx"), "{\"error\": \"Repository Not Found\"}\n");
        String e = inspectError(p);
        assertTrue(e.contains("a JSON document saying \"Repository Not Found\"") && e.contains("download"), e);
    }

    @Test
    void pickleCheckpoint() throws Exception {
        byte[] pickle = {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0, 0};
        Path p = Files.write(tmp.resolve("model.onnx"), pickle);
        String e = inspectError(p);
        assertTrue(e.contains("Python pickle (protocol 4)") && e.contains("PyTorch checkpoint"), e);
        assertTrue(e.contains("never unpickled"), e);
    }

    @Test
    void torchZipCheckpointAndTorchScript() throws Exception {
        Path ckpt = zip(tmp.resolve("model.pt"), "archive/data.pkl", "archive/data/0", "archive/version");
        assertTrue(inspectError(ckpt).contains("a PyTorch checkpoint (zip with archive/data.pkl"));
        Path script = zip(tmp.resolve("model.onnx"), "m/data.pkl", "m/constants.pkl", "m/code/__torch__.py");
        assertTrue(inspectError(script).contains("a TorchScript archive"));
    }

    @Test
    void safetensors() throws Exception {
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Path p = Files.write(tmp.resolve("model.onnx"), b.array());
        assertTrue(inspectError(p).contains("a safetensors file"));
    }

    @Test
    void tensorflowSavedModelAndGraphDef() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("exported"));
        // SavedModel: saved_model_schema_version 1, then meta_graphs: as ONNX it would look plausible
        Files.write(dir.resolve("saved_model.pb"), new byte[] {8, 1, 18, 4, 10, 2, 8, 1});
        assertTrue(inspectError(dir.resolve("saved_model.pb")).contains("a TensorFlow SavedModel"));
        assertTrue(inspectError(dir).contains("directory holding a TensorFlow SavedModel"));
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        byte[] node = {10, 5, 'i', 'n', 'p', 'u', 't', 18, 11, 'P', 'l', 'a', 'c', 'e', 'h', 'o', 'l', 'd', 'e', 'r'};
        g.write(10);
        g.write(node.length);
        g.write(node);
        Path graph = Files.write(tmp.resolve("frozen.pb"), g.toByteArray());
        assertTrue(inspectError(graph).contains("a TensorFlow GraphDef"));
    }

    @Test
    void tfliteAndGguf() throws Exception {
        Path tfl = Files.write(tmp.resolve("model.onnx"), new byte[] {0x1c, 0, 0, 0, 'T', 'F', 'L', '3', 0, 0, 0, 0});
        assertTrue(inspectError(tfl).contains("TensorFlow Lite"));
        Path gguf = Files.write(tmp.resolve("model.h5"), new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 0, 0, 0, 0});
        assertTrue(inspectError(gguf).contains("a GGUF file (llama.cpp, version 3)"));
    }

    /** In a zoo, such a file named like a model is an error row; other files are still skipped. */
    @Test
    void scanReportsModelNamedOnesAndSkipsTheRest() throws Exception {
        Path zoo = Files.createDirectory(tmp.resolve("zoo"));
        Files.copy(Fixtures.path("not-models/lfs-pointer.onnx"), zoo.resolve("resnet.onnx"));
        Files.copy(Fixtures.path("not-models/lfs-pointer.onnx"), zoo.resolve("weights.bin"));
        Files.writeString(zoo.resolve("README.md"), "# models\n");
        Files.write(zoo.resolve("ckpt.pt"), new byte[] {(byte) 0x80, 2, 'c', 0});
        Files.copy(Fixtures.path("onnx/cnn_seed.onnx"), zoo.resolve("ok.onnx"));
        Cli c = Cli.run("scan", "--format", "csv", "-q", zoo.toString());
        assertEquals(0, c.exitCode(), c.err());
        var rows = c.out().strip().lines().toList();
        assertEquals(3, rows.size(), c.out()); // header, ok.onnx, resnet.onnx
        assertTrue(rows.get(1).contains("ok.onnx"), c.out());
        assertTrue(rows.get(2).contains("resnet.onnx") && rows.get(2).contains("Git LFS pointer"), c.out());
    }

    private static Path zip(Path p, String... names) throws Exception {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry(n));
                z.write(new byte[] {1, 2, 3});
                z.closeEntry();
            }
        }
        return p;
    }
}
