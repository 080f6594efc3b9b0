package dev.modeltally.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.LocalSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job over a real HDFS (in-process NameNode and DataNode, loopback only): the fixtures' rows
 * equal scan's, and a 512 MiB ONNX file with inline weights is analysed from a small fraction of
 * its bytes.
 */
class SparkScanHdfsTest {

    static final BigOnnx BIG = new BigOnnx(8192, 16384); // W alone is 512 MiB

    @TempDir
    static Path work;

    static MiniDFSCluster cluster;
    static FileSystem hdfs;
    static String root;

    @BeforeAll
    static void startHdfs() throws IOException {
        long start = System.nanoTime();
        Configuration conf = new Configuration();
        conf.setInt("dfs.replication", 1);
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        // closing a file waits for the DataNode's block report, retrying after 400 ms by default:
        // with ~250 small files that alone would take a minute
        conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
        cluster = new MiniDFSCluster.Builder(conf, work.resolve("hdfs").toFile()).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = hdfs.getUri() + "/zoo";
        hdfs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(Path.of("testdata").toAbsolutePath().toUri()),
                new org.apache.hadoop.fs.Path(root + "/testdata"));
        write(root + "/testdata/broken/truncated.onnx", java.util.Arrays.copyOf(
                Files.readAllBytes(Path.of("testdata/onnx/cnn_seed.onnx")), 100));
        write(root + "/testdata/broken/not-really.h5", "<html>404</html>".getBytes(StandardCharsets.UTF_8));
        hdfs.mkdirs(new org.apache.hadoop.fs.Path(root + "/testdata/broken/folder.onnx"));
        try (OutputStream out = hdfs.create(new org.apache.hadoop.fs.Path(root + "/big/big.onnx"))) {
            BIG.write(out);
        }
        System.err.printf("HDFS with the fixtures and a %d-byte ONNX file ready in %.1f s%n",
                hdfs.getFileStatus(new org.apache.hadoop.fs.Path(root + "/big/big.onnx")).getLen(),
                (System.nanoTime() - start) / 1e9);
        // the Spark session's file systems must reach this cluster
        SharedSpark.session().sparkContext().hadoopConfiguration().set("fs.defaultFS", hdfs.getUri().toString());
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    static void write(String path, byte[] bytes) throws IOException {
        try (OutputStream out = hdfs.create(new org.apache.hadoop.fs.Path(path))) {
            out.write(bytes);
        }
    }

    static Map<String, ObjectNode> rows(String output, String under) throws IOException {
        Map<String, ObjectNode> rows = new TreeMap<>();
        for (FileStatus part : hdfs.listStatus(new org.apache.hadoop.fs.Path(output))) {
            if (!part.getPath().getName().startsWith("part-")) {
                continue;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(hdfs.open(part.getPath()),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    ObjectNode row = (ObjectNode) SparkScanLocalTest.JSON.readTree(line);
                    String path = row.remove("path").asText();
                    row.remove("io");
                    rows.put(path.substring(path.indexOf(under) + under.length()), row);
                }
            }
        }
        return rows;
    }

    static int run(List<String> said, String... args) {
        return SparkScanLocalTest.run(said, args);
    }

    @Test
    void rowsOverHdfsEqualScansOfTheSameFiles() throws IOException {
        Path broken = work.resolve("broken");
        Files.createDirectories(broken);
        Files.write(broken.resolve("truncated.onnx"), java.util.Arrays.copyOf(
                Files.readAllBytes(Path.of("testdata/onnx/cnn_seed.onnx")), 100));
        Files.writeString(broken.resolve("not-really.h5"), "<html>404</html>");
        Files.createDirectories(broken.resolve("folder.onnx"));
        Map<String, ObjectNode> scan = SparkScanLocalTest.scanRows(Path.of("testdata"));
        scan.putAll(prefixed("broken/", SparkScanLocalTest.scanRows(broken)));

        String output = root + "-out/fixtures";
        List<String> said = new ArrayList<>();
        assertEquals(0, run(said, "scan", "--output", output, root + "/testdata"), said.toString());
        Map<String, ObjectNode> spark = rows(output, "/zoo/testdata/");
        assertEquals(scan.keySet(), spark.keySet());
        List<String> differ = scan.keySet().stream().filter(f -> !scan.get(f).equals(spark.get(f)))
                .map(f -> f + " at " + SparkScanLocalTest.difference(scan.get(f), spark.get(f), "")).toList();
        assertEquals(List.of(), differ, "rows that differ from scan's");
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(output, ScanJob.SUMMARY_FILE)));
        assertEquals(List.of("fixtures"), names(root + "-out"), "no temporary folder is left");
    }

    @Test
    void aHalfGigabyteInlineOnnxIsReadByItsMetadataOnly() throws IOException {
        long size = hdfs.getFileStatus(new org.apache.hadoop.fs.Path(root + "/big/big.onnx")).getLen();
        assertTrue(size > 500_000_000L, "size " + size);
        String output = root + "-out/big";
        List<String> said = new ArrayList<>();
        assertEquals(0, run(said, "scan", "--output", output, root + "/big"), said.toString());
        Map<String, ObjectNode> spark = rows(output, "/zoo/big/");
        JsonNode row = spark.get("big.onnx");
        assertTrue(row.path("error").isNull(), row.path("error").toString());
        assertEquals(BIG.parameters(), row.path("parameters").path("total").asLong());
        assertEquals(BIG.macs(), row.path("compute").path("macs").asLong());
        assertEquals(2 * BIG.macs(), row.path("compute").path("flops").asLong());
        JsonNode summary;
        try (var in = hdfs.open(new org.apache.hadoop.fs.Path(output, ScanJob.SUMMARY_FILE))) {
            summary = SparkScanLocalTest.JSON.readTree(in);
        }
        long read = summary.path("io").path("bytes_read").asLong();
        System.err.printf("big.onnx on HDFS: %d of %d bytes read (%.4f%%) in %d reads%n", read, size,
                100.0 * read / size, summary.path("io").path("reads").asLong());
        assertTrue(read > 0 && read < size / 100, "read " + read + " of " + size + " bytes");
        assertEquals(size, summary.path("io").path("bytes_stored").asLong());
    }

    @Test
    void theSmallTwinOfTheBigFileCountsAsScanCountsIt() throws IOException {
        BigOnnx small = new BigOnnx(64, 32);
        Path file = work.resolve("small.onnx");
        try (OutputStream out = Files.newOutputStream(file)) {
            small.write(out);
        }
        Report r;
        try (LocalSource source = openLocal(file)) {
            r = ModelTally.analyzeOrError(source, ModelTally.Options.DEFAULT);
        }
        assertFalse(r.failed(), String.valueOf(r.error()));
        assertEquals(small.parameters(), r.parameters().total());
        assertEquals(small.macs(), r.compute().macs());
    }

    @Test
    void externalDataSiblingsAreCheckedOnHdfs() throws IOException {
        hdfs.mkdirs(new org.apache.hadoop.fs.Path(root + "/siblings/model/folder"));
        write(root + "/siblings/model/model.onnx", new byte[10]);
        write(root + "/siblings/model/model.onnx.data", new byte[4096]);
        write(root + "/siblings/outside.bin", new byte[1]);
        try (HadoopSource s = HadoopSource.open(new org.apache.hadoop.fs.Path(root + "/siblings/model/model.onnx"),
                hdfs.getConf())) {
            assertEquals(new dev.modeltally.format.ExternalFiles.Check(
                    dev.modeltally.format.ExternalFiles.Status.PRESENT, "", 4096), s.sibling("model.onnx.data"));
            assertEquals(dev.modeltally.format.ExternalFiles.Status.MISSING, s.sibling("gone.data").status());
            assertEquals(dev.modeltally.format.ExternalFiles.Status.UNSAFE_FILE, s.sibling("folder").status());
            assertEquals(dev.modeltally.format.ExternalFiles.Status.OUTSIDE_FOLDER,
                    s.sibling("../outside.bin").status());
            assertEquals(10, s.size());
        }
    }

    static LocalSource openLocal(Path file) throws IOException {
        try {
            return LocalSource.open(file);
        } catch (dev.modeltally.format.ModelReadException e) {
            throw new IOException(e);
        }
    }

    static List<String> names(String folder) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : hdfs.listStatus(new org.apache.hadoop.fs.Path(folder))) {
            names.add(s.getPath().getName());
        }
        return names;
    }

    static Map<String, ObjectNode> prefixed(String prefix, Map<String, ObjectNode> rows) {
        Map<String, ObjectNode> out = new TreeMap<>();
        rows.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }
}
