package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Shape;
import dev.modeltally.report.JsonReport;
import dev.modeltally.testing.Ir;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lifetime rule of docs/counting.md on graphs small enough to work out by hand. */
class MemoryTest {

    private static List<String> l(String... s) {
        return List.of(s);
    }

    @Test
    void aTensorIsLiveFromItsProducerToItsLastConsumer() {
        // x (16 B) dies after step 0; a and b live until the Add; y is a graph output
        Report r = Ir.graph().input("x", 1, 4).weight("w", 4, 4)
                .node("Relu", "a", l("x"), l("a_out"))
                .node("Relu", "b", l("a_out"), l("b_out"))
                .node("Add", "add", l("a_out", "b_out"), l("y")).output("y").analyze();
        Memory m = r.memory();
        assertEquals(List.of(32L, 32L, 48L), m.live());
        assertEquals(48, m.peakBytes());
        assertEquals("add", m.peakAt());
        assertEquals(48, m.activationsBytes());
        assertEquals(16, m.inputsBytes());
        assertEquals(16, m.outputsBytes());
        assertEquals(64, m.weightsBytes(), "= parameters.bytes");
        assertFalse(m.lowerBound());
        assertNull(m.kvCache());
    }

    @Test
    void weightsAndConstantOutputsAreNotLive() {
        Report r = Ir.graph().input("x", 1, 4).weight("w", 4, 4).ints("shape", 4)
                .node("Constant", "c", l(), l("k"))
                .node("MatMul", "mm", l("x", "w"), l("h"))
                .node("Reshape", "flat", l("h", "shape"), l("y")).output("y").analyze();
        Memory m = r.memory();
        assertEquals(32, m.activationsBytes(), "h and y; the Constant's k is stored, not made");
        assertEquals(List.of(16L, 32L, 32L), m.live());
        assertEquals(8, m.constantsBytes());
    }

    @Test
    void anUnknownSizeIsALowerBoundWithItsCountNeverASilentZero() {
        Report r = Ir.graph().input("x", 1, 4).input("z", 1, null)
                .node("Relu", "a", l("x"), l("a_out"))
                .node("Relu", "b", l("z"), l("b_out")).output("a_out").output("b_out").analyze();
        Memory m = r.memory();
        assertEquals(16, m.activationsBytes());
        assertEquals(2, m.unknownTensors(), "z and b_out");
        assertTrue(m.lowerBound());
        JsonNode j = JsonReport.toJson(r).get("memory");
        assertTrue(j.get("lower_bound").asBoolean());
        assertEquals(2, j.get("unknown_tensors").asInt());
    }

    @Test
    void aLoopBodysOwnPeakIsAddedAtTheLoopsStep() {
        Graph body = Ir.graph().named("body").input("i", DType.INT64, Shape.scalar())
                .input("c", DType.BOOL, Shape.scalar()).input("h", 1, 4)
                .node("Identity", "keep", l("c"), l("c_out"))
                .node("MatMul", "step", l("h", "w"), l("h_out"))
                .output("c_out").output("h_out").output("h_out").build();
        Report r = Ir.graph().input("x", 1, 4).weight("w", 4, 4).scalar("n", 5)
                .node("Loop", "loop", l("n", "", "x"), l("h_final", "hs"), "body", body).output("h_final").analyze();
        Memory m = r.memory();
        // body: step 0 holds i 8 + c 1 + h 16 + c_out 1 = 26, step 1 h 16 + c_out 1 + h_out 16 = 33
        // main: x 16 + h_final 16 + hs 80 = 112, plus the body's 33
        assertEquals(145, m.peakBytes());
        assertEquals("loop", m.peakAt());
        assertEquals(96 + 1 + 16, m.activationsBytes(), "the body's outputs once, not per iteration");
    }

    @Test
    void anUntakenIfBranchHoldsNothing() {
        Graph then = Ir.graph().named("then").node("MatMul", "then_mm", l("x", "w"), l("t_out")).output("t_out")
                .build();
        Graph other = Ir.graph().named("else").node("Relu", "else_relu", l("x"), l("e_out")).output("e_out").build();
        Report r = Ir.graph().input("x", 1, 4).weight("w", 4, 4).ints("one", 1).ints("zero", 0)
                .node("Equal", "eq", l("one", "zero"), l("cond"))
                .node("If", "if", l("cond"), l("y"), "then_branch", then, "else_branch", other).output("y").analyze();
        Memory m = r.memory();
        assertEquals(List.of(17L, 49L), m.live(), "x read by the branch stays live to the If");
        assertEquals(1 + 16 + 16, m.activationsBytes());
    }

    @Test
    void aNestedKerasModelsInputsAndOutputsAreItsCallsNotCopies() throws Exception {
        // stem [1, 16] -> inner (dense [1, 8] -> dense_1 [1, 4]) -> head [1, 2], float32
        Report r = Analyzer.analyze(dev.modeltally.ModelTally.read(java.nio.file.Path.of(
                "testdata/keras/nested_model.keras"), dev.modeltally.format.Limits.DEFAULT), "nested", AnalysisOptions.DEFAULT);
        Memory m = r.memory();
        assertEquals(64 + 16 + 32 + 8, m.activationsBytes(), "inner's output once, as the call's");
        assertEquals(List.of(128L, 64L + 16 + 32, 24L), m.live(), "the call's step: its input, output and dense");
        assertEquals("stem", m.peakAt());
    }

    @Test
    void aGraphWithoutNodesHoldsItsInputs() {
        Memory m = Ir.graph().input("x", 1, 4).output("x").analyze().memory();
        assertEquals(16, m.peakBytes());
        assertNull(m.peakAt());
        assertTrue(m.live().isEmpty());
        assertEquals(0, m.activationsBytes());
    }

    @Test
    void bytesRoundUpForLowBitTypesAndAreUnknownForStringsAndOverflow() {
        assertEquals(2, TensorBytes.of(DType.INT4, Shape.of(3)));
        assertEquals(6, TensorBytes.of(DType.FLOAT16, Shape.of(3)));
        assertEquals(-1, TensorBytes.of(DType.STRING, Shape.of(3)));
        assertEquals(-1, TensorBytes.of(DType.UNDEFINED, Shape.of(3)));
        assertEquals(-1, TensorBytes.of(DType.FLOAT, Shape.of(1L << 40, 1L << 30)));
        assertEquals(-1, TensorBytes.of(DType.FLOAT, Ir.shape(1, "n")));
        assertEquals(4, TensorBytes.of(DType.FLOAT, Shape.scalar()));
    }

    @Test
    void kvCacheFromPastAndPresentNamesAtTheGivenLengths() {
        Shape past = Ir.shape("batch_size", 2, "past_sequence_length", 16);
        Shape fresh = Ir.shape("batch_size", 2, "sequence_length", 16);
        Ir g = Ir.graph().input("cache_position", DType.INT64, Ir.shape("sequence_length"));
        for (String kv : new String[] {"key", "value"}) {
            g.input("past_key_values.0." + kv, DType.FLOAT, past).input("new_" + kv, DType.FLOAT, fresh)
                    .node("Concat", "cat_" + kv, l("past_key_values.0." + kv, "new_" + kv), l("present.0." + kv),
                            "axis", 2)
                    .output("present.0." + kv);
        }
        Report r = g.analyze(new AnalysisOptions(Map.of("past_key_values.0.key", Shape.of(3, 2, 5, 16),
                "new_key", Shape.of(3, 2, 2, 16)), 0));
        Memory.KvCache kv = r.memory().kvCache();
        assertEquals(l("past_key_values.0.key", "past_key_values.0.value"), kv.inputs(), "cache_position is no cache");
        assertEquals(l("present.0.key", "present.0.value"), kv.outputs());
        assertEquals(7, kv.tokens());
        assertEquals(2L * 3 * 2 * 16 * 4, kv.bytesPerToken(), "keys and values, batch 3, 2 KV heads of 16");
        assertEquals(7 * kv.bytesPerToken(), kv.bytes());
        assertEquals(5 * kv.bytesPerToken(), kv.pastBytes());
        JsonNode j = JsonReport.toJson(r).get("memory").get("kv_cache");
        assertEquals(kv.bytesPerToken(), j.get("bytes_per_token").asLong());
    }

    @Test
    void crossAttentionCachesAreApartFromThePerTokenFigure() {
        Shape self = Ir.shape("batch_size", 4, "past_decoder_sequence_length", 8);
        Shape cross = Ir.shape("batch_size", 4, "encoder_sequence_length", 8);
        Report r = Ir.graph().input("past_key_values.0.decoder.key", DType.FLOAT, self)
                .input("past_key_values.0.encoder.key", DType.FLOAT, cross)
                .node("Relu", "a", l("past_key_values.0.decoder.key"), l("present.0.decoder.key"))
                .node("Relu", "b", l("past_key_values.0.encoder.key"), l("present.0.encoder.key"))
                .output("present.0.decoder.key").output("present.0.encoder.key")
                .analyze(new AnalysisOptions(Map.of("past_key_values.0.decoder.key", Shape.of(1, 4, 10, 8),
                        "past_key_values.0.encoder.key", Shape.of(1, 4, 30, 8)), 0));
        Memory.KvCache kv = r.memory().kvCache();
        assertEquals(4 * 8 * 4, kv.bytesPerToken());
        assertEquals(10 * 4 * 8 * 4, kv.bytes());
        assertEquals(30 * 4 * 8 * 4, kv.crossBytes());
        assertEquals(10, kv.tokens());
    }

    @Test
    void legacyStackedPastAndFixedLayoutsFindTheirSequenceAxis() {
        assertEquals(3, KvCaches.sequenceDim(Ir.shape(2, "batch", 12, "past_seq_len", 64)), "GPT-2 past_N");
        assertEquals(2, KvCaches.sequenceDim(Shape.of(1, 8, 2048, 64)), "static cache [b, kv_heads, seq, d]");
        assertEquals(1, KvCaches.sequenceDim(Ir.shape("batch", "cache_len", 8, 64)), "[b, seq, heads, d] by name");
        assertTrue(KvCaches.isPastName("past_key_values.3.decoder.key"));
        assertTrue(KvCaches.isPastName("past_0"));
        assertTrue(KvCaches.isPastName("cache_key_2"));
        assertTrue(KvCaches.isPastName("model.key_cache.1"));
        assertFalse(KvCaches.isPastName("input_ids"));
    }
}
