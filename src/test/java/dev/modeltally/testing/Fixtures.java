package dev.modeltally.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Access to the committed fixtures in testdata/. */
public final class Fixtures {

    public static final Path ROOT = Path.of("testdata");

    private Fixtures() {
    }

    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    public static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(ROOT.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
