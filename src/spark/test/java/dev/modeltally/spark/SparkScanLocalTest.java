package dev.modeltally.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.report.JsonReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job in local mode over the committed fixtures: its rows are scan's rows. */
class SparkScanLocalTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static Path zoo;

    @BeforeAll
    static void zoo() throws IOException {
        // the fixtures plus files scan must turn into error rows, and one it must pass over
        zoo = work.resolve("zoo");
        Files.createDirectories(zoo.resolve("broken"));
        Files.write(zoo.resolve("broken/truncated.onnx"), Files.readAllBytes(
                Path.of("testdata/onnx/cnn_seed.onnx")).length > 100 ? java.util.Arrays.copyOf(
                Files.readAllBytes(Path.of("testdata/onnx/cnn_seed.onnx")), 100) : new byte[0]);
        Files.writeString(zoo.resolve("broken/not-really.h5"), "<html>404</html>");
        Files.writeString(zoo.resolve("broken/README.md"), "not a model");
        Files.createDirectories(zoo.resolve("broken/folder.onnx"));
    }

    static String[] args(String... a) {
        return a;
    }

    static int run(List<String> out, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = SparkScan.run(args, SharedSpark::session, new PrintWriter(o, true), new PrintWriter(e, true));
        out.add(o.toString());
        out.add(e.toString());
        return code;
    }

    /** Rows of a JSON-lines output folder, by file name relative to {@code root}, without path and io. */
    static Map<String, ObjectNode> rows(Path output, Path... roots) throws IOException {
        Map<String, ObjectNode> rows = new TreeMap<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(part)) {
                    ObjectNode row = (ObjectNode) JSON.readTree(line);
                    rows.put(relative(row, roots), row);
                }
            }
        }
        return rows;
    }

    static String relative(ObjectNode row, Path... roots) {
        String path = row.remove("path").asText();
        row.remove("io");
        for (Path root : roots) {
            String abs = root.toAbsolutePath().normalize().toString();
            int at = path.indexOf(abs + "/");
            if (at >= 0) {
                return path.substring(at + abs.length() + 1);
            }
        }
        return path;
    }

    /** Where two JSON trees first differ, and how, for a readable failure. */
    static String difference(JsonNode a, JsonNode b, String at) {
        if (a.isContainerNode() && b != null && a.getNodeType() == b.getNodeType() && a.size() == b.size()) {
            var names = a.isObject() ? a.fieldNames() : null;
            for (int i = 0; a.isArray() && i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    return difference(a.get(i), b.get(i), at + "[" + i + "]");
                }
            }
            while (names != null && names.hasNext()) {
                String n = names.next();
                if (!a.get(n).equals(b.get(n))) {
                    return difference(a.get(n), b.get(n), at + "." + n);
                }
            }
        }
        return at + ": " + a + " vs " + b;
    }

    /** What `scan` gives for the same files, keyed the same way. */
    static Map<String, ObjectNode> scanRows(Path root) throws IOException {
        Map<String, ObjectNode> rows = new TreeMap<>();
        try (Stream<Report> reports = ModelTally.scan(List.of(root.toAbsolutePath().normalize()),
                ModelTally.Options.DEFAULT, 2)) {
            for (Report r : (Iterable<Report>) reports::iterator) {
                ObjectNode row = (ObjectNode) JSON.readTree(JsonReport.line(r));
                rows.put(relative(row, root), row);
            }
        }
        return rows;
    }

    @Test
    void rowsEqualScansOverTheFixtures() throws IOException {
        Path testdata = Path.of("testdata");
        Path output = work.resolve("fixtures-out");
        List<String> said = new ArrayList<>();
        int code = run(said, "scan", "--output", output.toString(), testdata.toString(), zoo.toString());
        assertEquals(0, code, said.toString());
        Map<String, ObjectNode> spark = rows(output, testdata, zoo);
        Map<String, ObjectNode> scan = scanRows(testdata);
        Map<String, ObjectNode> broken = scanRows(zoo);
        scan.putAll(broken);
        assertEquals(scan.keySet(), spark.keySet());
        List<String> differ = scan.keySet().stream().filter(f -> !scan.get(f).equals(spark.get(f)))
                .map(f -> f + " at " + difference(scan.get(f), spark.get(f), "")).toList();
        assertEquals(List.of(), differ, "rows that differ from scan's");
        assertEquals("corrupt", spark.get("broken/truncated.onnx").path("error").path("kind").asText());
        assertFalse(spark.containsKey("broken/README.md"));
        assertTrue(Files.isRegularFile(output.resolve(ScanJob.SUMMARY_FILE)));
        JsonNode summary = JSON.readTree(output.resolve(ScanJob.SUMMARY_FILE).toFile());
        assertEquals(scan.size(), summary.path("files").asInt());
        assertEquals(scan.values().stream().filter(r -> !r.path("error").isNull()).count(),
                summary.path("errors").asLong());
        assertEquals("unsupported", spark.get("broken/folder.onnx").path("error").path("kind").asText());
        assertTrue(said.get(0).contains("files scanned"), said.get(0));
    }

    @Test
    void parquetRowsHoldTheSameFigures() throws IOException {
        Path output = work.resolve("parquet-out");
        List<String> said = new ArrayList<>();
        Path keras = Path.of("testdata/keras");
        assertEquals(0, run(said, "scan", "--format", "parquet", "--output", output.toString(), keras.toString()),
                said.toString());
        Map<String, ObjectNode> scan = scanRows(keras);
        List<Row> rows = SharedSpark.session().read().parquet(output.toString())
                .select("path", "parameters.total", "parameters.trainable", "compute.flops", "error.kind", "row_json")
                .collectAsList();
        assertEquals(scan.size(), rows.size());
        for (Row r : rows) {
            String name = r.getString(0).substring(r.getString(0).indexOf("testdata/keras/") + "testdata/keras/".length());
            ObjectNode expected = scan.get(name);
            assertNotNull(expected, name);
            assertEquals(expected.path("parameters").path("total").asLong(), r.getLong(1), name);
            assertEquals(expected.path("parameters").path("trainable").asLong(), r.getLong(2), name);
            JsonNode flops = expected.path("compute").path("flops");
            assertEquals(flops.isNumber() ? flops.asLong() : null, r.isNullAt(3) ? null : r.getLong(3), name);
            assertTrue(r.isNullAt(4), name);
            ObjectNode whole = (ObjectNode) JSON.readTree(r.getString(5));
            relative(whole, keras);
            assertEquals(expected, whole, name);
        }
    }

    @Test
    void anExistingOutputIsNeverTouched() throws IOException {
        Path output = Files.createDirectories(work.resolve("exists"));
        Files.writeString(output.resolve("keep.txt"), "mine");
        List<String> said = new ArrayList<>();
        assertEquals(2, run(said, "scan", "--output", output.toString(), "testdata/onnx"));
        assertTrue(said.get(1).startsWith("error: ") && said.get(1).contains("already exists"), said.get(1));
        try (Stream<Path> files = Files.list(output)) {
            assertEquals(List.of(output.resolve("keep.txt")), files.toList());
        }
    }

    @Test
    void aMissingPathIsAOneLineError() {
        List<String> said = new ArrayList<>();
        assertEquals(2, run(said, "scan", "--output", work.resolve("never").toString(), "no/such/folder"));
        assertEquals("error: no/such/folder: no such file or directory", said.get(1).strip());
        assertFalse(Files.exists(work.resolve("never")));
    }
}
