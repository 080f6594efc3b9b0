package dev.modeltally.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Access to the committed fixtures in testdata/. */
public final class Fixtures {

    public static final Path ROOT = Path.of("testdata");

    private Fixtures() {
    }

    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /**
     * Unzips a gzipped fixture ({@code compute/torchvision/x.onnx.gz}) into {@code dir}, under its
     * name without {@code .gz}, and returns that path.
     */
    public static Path gunzip(String relative, Path dir) throws IOException {
        Path gz = path(relative);
        Path out = dir.resolve(gz.getFileName().toString().replaceFirst("\\.gz$", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.copy(in, out);
        }
        return out;
    }

    public static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(ROOT.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
