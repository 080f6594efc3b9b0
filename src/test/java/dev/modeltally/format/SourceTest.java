package dev.modeltally.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.onnx.proto.OnnxProto.GraphProto;
import dev.modeltally.format.onnx.proto.OnnxProto.ModelProto;
import dev.modeltally.format.onnx.proto.OnnxProto.TensorProto;
import dev.modeltally.report.JsonReport;
import dev.modeltally.testing.Cli;
import dev.modeltally.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every reader reads through a Source, metadata only, and reports what that took. */
class SourceTest {

    @TempDir
    Path tmp;

    /** A Source that records every read it serves (offset, length), over a local file. */
    static final class RecordingSource extends Source {
        final LocalSource file;
        final List<long[]> reads = new ArrayList<>();

        RecordingSource(Path p) throws IOException, ModelReadException {
            file = LocalSource.open(p);
        }

        @Override
        public String name() {
            return file.name();
        }

        @Override
        public long size() {
            return file.size();
        }

        @Override
        protected int readAt(long offset, ByteBuffer dst) throws IOException {
            int n = file.read(offset, dst);
            reads.add(new long[] {offset, n});
            return n;
        }

        @Override
        public ExternalFiles.Check sibling(String location) {
            return file.sibling(location);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** The layout-only fixture with every initializer's bytes inline (zeros), as exporters write small models. */
    static Path inlineWeights(Path layoutOnly, Path out) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(layoutOnly)) {
            model = ModelProto.parseFrom(in);
        }
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            assertEquals(TensorProto.DataType.FLOAT_VALUE, t.getDataType());
            graph.setInitializer(i, t.toBuilder().clearExternalData().clearDataLocation()
                    .setRawData(ByteString.copyFrom(new byte[Math.toIntExact(n * 4)])));
        }
        try (OutputStream o = Files.newOutputStream(out)) {
            model.toBuilder().setGraph(graph).build().writeTo(o);
        }
        return out;
    }

    @Test
    void inlineOnnxIsReadByItsMetadataOnly() throws Exception {
        Path p = inlineWeights(Fixtures.path("onnx/unet.onnx"), tmp.resolve("unet-inline.onnx"));
        long size = Files.size(p);
        assertTrue(size > 30_000_000, "inline weights: " + size);
        try (RecordingSource s = new RecordingSource(p)) {
            Report r = ModelTally.analyze(s, ModelTally.Options.DEFAULT);
            assertNull(r.error());
            assertEquals(7_759_554, r.parameters().total());
            assertNotNull(r.io());
            long recorded = s.reads.stream().mapToLong(x -> Math.max(0, x[1])).sum();
            assertEquals(recorded, r.io().bytesRead(), "io counts what the source served");
            assertEquals(s.reads.size(), r.io().reads());
            assertTrue(r.io().bytesRead() < size / 100, r.io() + " of " + size + " bytes: over 1%");
        }
    }

    /** A reader given the bytes in memory says exactly what it says of the file: nothing else is opened. */
    @ParameterizedTest
    @ValueSource(strings = {"onnx/cnn_seed.onnx", "onnx/int8_qdq.onnx", "onnx/sparse_init.onnx",
        "keras/conv_pool_dense.h5", "keras/conv_pool_dense.weights.h5", "keras/conv_pool_dense.k2.weights.h5",
        "keras/conv_pool_dense.keras"})
    void inMemorySourceGivesTheSameReport(String fixture) throws Exception {
        Path p = Fixtures.path(fixture);
        Report fromFile = ModelTally.analyze(p, ModelTally.Options.DEFAULT);
        Report fromBytes = ModelTally.analyze(new BytesSource(p.toString(), Files.readAllBytes(p)),
                ModelTally.Options.DEFAULT);
        ObjectNode a = JsonReport.toJson(fromFile, true);
        ObjectNode b = JsonReport.toJson(fromBytes, true);
        assertTrue(a.get("io").get("bytes_read").asLong() > 0);
        a.remove("io");
        b.remove("io");
        assertEquals(a, b); // shared-weight lists a tensor's users in graph order, the same every run
    }

    @Test
    void mappedHeadersAreCountedApartFromReads() throws Exception {
        JsonNode h5 = new ObjectMapper().readTree(Cli.run("inspect", "--json",
                Fixtures.path("keras/conv_pool_dense.h5").toString()).out()).get("io");
        assertTrue(h5.get("bytes_mapped").asLong() > 0, "a local HDF5 file is walked through a map: " + h5);
        JsonNode onnx = new ObjectMapper().readTree(Cli.run("inspect", "--json",
                Fixtures.path("onnx/cnn_seed.onnx").toString()).out()).get("io");
        assertEquals(0, onnx.get("bytes_mapped").asLong(), "ONNX is read by positional reads only: " + onnx);
        assertTrue(onnx.get("bytes_read").asLong() > 0, onnx.toString());
    }

    @Test
    void jsonAndScanRowsCarryIo() throws Exception {
        Cli c = Cli.run("inspect", "--json", Fixtures.path("keras/conv_pool_dense.keras").toString());
        assertEquals(0, c.exitCode(), c.err());
        JsonNode io = new ObjectMapper().readTree(c.out()).get("io");
        assertTrue(io.get("bytes_read").asLong() > 0 && io.get("reads").asLong() > 0, io.toString());
        Path zoo = Files.createDirectory(tmp.resolve("zoo"));
        Files.copy(Fixtures.path("onnx/cnn_seed.onnx"), zoo.resolve("a.onnx"));
        Files.write(zoo.resolve("b.onnx"), new byte[] {8, 7, 18, 4, 'x'});
        Cli scan = Cli.run("scan", "--format", "jsonl", "-q", zoo.toString());
        List<String> rows = scan.out().strip().lines().toList();
        assertEquals(2, rows.size(), scan.out());
        for (String row : rows) {
            JsonNode r = new ObjectMapper().readTree(row);
            assertTrue(r.get("io").get("bytes_read").asLong() > 0, row);
        }
        assertTrue(new ObjectMapper().readTree(rows.get(1)).get("error").isObject(), "b.onnx is an error row");
    }

    @Test
    void siblingsFollowTheExternalDataRules() {
        BytesSource s = new BytesSource("m.onnx", new byte[0]);
        assertEquals(ExternalFiles.Status.OUTSIDE_FOLDER, s.sibling("../secret").status());
        assertEquals(ExternalFiles.Status.OUTSIDE_FOLDER, s.sibling("/etc/passwd").status());
        assertEquals(ExternalFiles.Status.OUTSIDE_FOLDER, s.sibling("C:\\x").status());
        assertEquals(ExternalFiles.Status.OUTSIDE_FOLDER, s.sibling("").status());
        assertEquals(ExternalFiles.Status.MISSING, s.sibling("weights.bin").status());
        assertNull(ExternalFiles.lexical("sub/weights.bin"));
    }

    @Test
    void pagedChannelReturnsTheBytesOfTheSource() throws Exception {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        BytesSource s = new BytesSource("x", data);
        try (SourceChannel ch = new SourceChannel(s)) {
            for (long at : new long[] {0, 65_530, 131_071, 299_990}) {
                ByteBuffer b = ByteBuffer.allocate(100);
                int n = ch.read(b, at);
                assertEquals(Math.min(100, data.length - at), n);
                for (int i = 0; i < n; i++) {
                    assertEquals(data[(int) at + i], b.get(i));
                }
            }
            ByteBuffer big = ByteBuffer.allocate(200_000);
            assertEquals(200_000, ch.read(big, 50_000));
            assertEquals(data[249_999], big.get(199_999));
            assertEquals(-1, ch.read(ByteBuffer.allocate(1), data.length));
        }
        assertTrue(s.stats().reads() <= 8, "paged: " + s.stats());
    }
}
