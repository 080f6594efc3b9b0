package dev.modeltally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A verify manifest: rows of path + expected figures (params, trainable, flops, sha256), as CSV with
 * a header row or JSON (an array of objects, or {"models": [...]}). Relative paths are relative to
 * the manifest's folder. Figures may use model-card forms ("138.36M").
 */
record Manifest(List<Entry> entries) {

    static final long MAX_BYTES = 64L << 20;

    record Entry(Path path, String params, String trainable, String flops, String sha256) {
    }

    static Manifest read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("manifest over " + (MAX_BYTES >> 20) + " MiB");
        }
        Path base = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Map<String, String>> rows = name.endsWith(".json") ? jsonRows(file) : csvRows(file);
        List<Entry> entries = new ArrayList<>();
        int line = 0;
        for (Map<String, String> row : rows) {
            line++;
            String path = first(row, "path", "file", "model");
            if (path == null || path.isBlank()) {
                throw new IOException("row " + line + " has no path");
            }
            Path p = Path.of(path.strip());
            entries.add(new Entry(p.isAbsolute() ? p : base.resolve(p).normalize(),
                    first(row, "params", "parameters", "total"), first(row, "trainable"),
                    first(row, "flops"), first(row, "sha256")));
        }
        return new Manifest(entries);
    }

    private static String first(Map<String, String> row, String... keys) {
        for (String k : keys) {
            for (Map.Entry<String, String> e : row.entrySet()) {
                if (e.getKey().strip().equalsIgnoreCase(k) && e.getValue() != null && !e.getValue().isBlank()) {
                    return e.getValue().strip();
                }
            }
        }
        return null;
    }

    private static List<Map<String, String>> csvRows(Path file) throws IOException {
        CsvMapper csv = new CsvMapper();
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader().withComments()).readValues(file.toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    private static List<Map<String, String>> jsonRows(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode list = root != null && root.isObject() ? root.get("models") : root;
        if (list == null || !list.isArray()) {
            throw new IOException("expected a JSON array of {path, params, ...} objects or {\"models\": [...]}");
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode n : list) {
            Map<String, String> row = new java.util.LinkedHashMap<>();
            n.fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText()
                    : e.getValue().toString()));
            rows.add(row);
        }
        return rows;
    }
}
