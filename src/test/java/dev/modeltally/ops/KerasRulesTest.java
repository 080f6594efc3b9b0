package dev.modeltally.ops;

import static dev.modeltally.testing.Ir.node;
import static dev.modeltally.testing.Ir.shapeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.testing.Ir;
import dev.modeltally.ops.Count;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keras layer rules (domain keras, config attributes, channels_last) on one small graph each. */
class KerasRulesTest {

    private static final String K = "keras";

    private static List<String> l(String... s) {
        return List.of(s);
    }

    private static Report run(Ir ir) {
        Report r = ir.analyze(AnalysisOptions.DEFAULT);
        for (Finding f : r.findings()) {
            assertFalse(f.code().equals("shape-rule-error") || f.code().equals("shape-contradiction"), f.message());
        }
        return r;
    }

    private static void macs(Report r, String n, long macs) {
        NodeCompute nc = node(r, n);
        assertEquals(Count.of(macs), nc.macs(), n + " MACs");
        assertTrue(nc.otherFlops().known(), n + " other FLOPs known");
    }

    @Test
    void conv2dSameStridedWithBias() {
        Report r = run(Ir.graph().input("x", "batch", 32, 32, 16).weight("k", 3, 3, 16, 8).weight("b", 8)
                .node(K, "Conv2D", "c", l("x", "k", "b"), l("y"), "filters", 8, "kernel_size", new long[] {3, 3},
                        "strides", new long[] {2, 2}, "padding", "same", "activation", "linear"));
        assertEquals("[1, 16, 16, 8]", shapeOf(r, "c"));
        macs(r, "c", 16 * 16 * 8 * 9 * 16);
        assertEquals(Count.of(16 * 16 * 8), node(r, "c").otherFlops(), "bias only: linear activation");
        assertTrue(r.compute().coverage().complete());
    }

    @Test
    void conv2dDilatedValidAndChannelsFirst() {
        Report r = run(Ir.graph().input("x", 1, 20, 20, 4).input("z", 1, 4, 10, 10)
                .node(K, "Conv2D", "d", l("x"), l("y"), "filters", 6, "kernel_size", 3, "dilation_rate", 2,
                        "padding", "valid", "use_bias", false)
                .node(K, "Conv2D", "cf", l("z"), l("w"), "filters", 6, "kernel_size", 3,
                        "data_format", "channels_first", "activation", "relu"));
        assertEquals("[1, 16, 16, 6]", shapeOf(r, "d"));
        macs(r, "d", 16 * 16 * 6 * 9 * 4);
        assertEquals(Count.of(0), node(r, "d").otherFlops());
        assertEquals("[1, 6, 8, 8]", shapeOf(r, "cf"));
        macs(r, "cf", 8 * 8 * 6 * 9 * 4);
        assertEquals(Count.of(2 * 8 * 8 * 6), node(r, "cf").otherFlops(), "bias + relu");
    }

    @Test
    void groupedConv1dDepthwiseSeparableTranspose() {
        Report r = run(Ir.graph().input("a", 1, 10, 8).input("b", 1, 8, 8, 4).input("c", 1, 8, 8, 4)
                .input("d", 1, 8, 8, 4)
                .node(K, "Conv1D", "g", l("a"), l("ga"), "filters", 4, "kernel_size", 3, "groups", 2)
                .node(K, "DepthwiseConv2D", "dw", l("b"), l("gb"), "kernel_size", 3, "depth_multiplier", 2,
                        "padding", "same")
                .node(K, "SeparableConv2D", "sep", l("c"), l("gc"), "filters", 5, "kernel_size", 3,
                        "depth_multiplier", 2, "padding", "same")
                .node(K, "Conv2DTranspose", "tr", l("d"), l("gd"), "filters", 3, "kernel_size", 3, "strides", 2,
                        "padding", "same"));
        assertEquals("[1, 8, 4]", shapeOf(r, "g"));
        macs(r, "g", 8 * 4 * 3 * 4);
        assertEquals("[1, 8, 8, 8]", shapeOf(r, "dw"));
        macs(r, "dw", 8 * 8 * 9 * 4 * 2);
        assertEquals("[1, 8, 8, 5]", shapeOf(r, "sep"));
        macs(r, "sep", 8 * 8 * 9 * 4 * 2 + 8 * 8 * 4 * 2 * 5);
        assertEquals("[1, 16, 16, 3]", shapeOf(r, "tr"));
        macs(r, "tr", 8 * 8 * 4 * 9 * 3);
    }

    @Test
    void denseOverLeadingDimsAndEmbedding() {
        Report r = run(Ir.graph().input("x", 1, 5, 16).input("t", 1, 7)
                .node(K, "Dense", "d", l("x"), l("y"), "units", 8)
                .node(K, "Embedding", "e", l("t"), l("u"), "input_dim", 100, "output_dim", 4));
        assertEquals("[1, 5, 8]", shapeOf(r, "d"));
        macs(r, "d", 5 * 16 * 8);
        assertEquals("[1, 7, 4]", shapeOf(r, "e"));
        macs(r, "e", 0);
    }

    @Test
    void crossAttentionWithValueDim() {
        Report r = run(Ir.graph().input("q", 1, 4, 16).input("v", 1, 6, 12)
                .node(K, "MultiHeadAttention", "mha", l("q", "v"), l("o"), "num_heads", 2, "key_dim", 8,
                        "value_dim", 5));
        assertEquals("[1, 4, 16]", shapeOf(r, "mha"));
        macs(r, "mha", 4 * 16 * 2 * 8 + 6 * 12 * 2 * 8 + 6 * 12 * 2 * 5 + 2 * 4 * 6 * 8 + 2 * 4 * 6 * 5
                + 4 * 2 * 5 * 16);
    }

    @Test
    void selfAttentionIsFourNDSquaredPlusTwoNSquaredD() {
        long n = 10;
        long d = 32;
        Report r = run(Ir.graph().input("x", 1, n, d)
                .node(K, "MultiHeadAttention", "mha", l("x", "x"), l("o"), "num_heads", 4, "key_dim", 8));
        macs(r, "mha", 4 * n * d * d + 2 * n * n * d);
    }

    @Test
    void recurrentAndBidirectional() {
        Map<String, Object> lstm = Map.of("class_name", "LSTM", "config", Map.of("units", 5L,
                "return_sequences", false));
        Report r = run(Ir.graph().input("x", 1, 7, 3)
                .node(K, "GRU", "gru", l("x"), l("g"), "units", 5, "return_sequences", true)
                .node(K, "Bidirectional", "bi", l("x"), l("b"), "layer", lstm, "merge_mode", "concat"));
        assertEquals("[1, 7, 5]", shapeOf(r, "gru"));
        macs(r, "gru", 7 * 3 * 5 * 8);
        assertEquals("[1, 10]", shapeOf(r, "bi"));
        macs(r, "bi", 2 * 7 * 4 * 5 * 8);
    }

    @Test
    void poolingNormalisationMergeAndReshapesAreFree() {
        Report r = run(Ir.graph().input("x", 1, 8, 8, 3)
                .node(K, "MaxPooling2D", "p", l("x"), l("p1"), "pool_size", 2)
                .node(K, "BatchNormalization", "bn", l("p1"), l("p2"))
                .node(K, "Add", "add", l("p1", "p2"), l("p3"))
                .node(K, "ZeroPadding2D", "zp", l("p3"), l("p4"), "padding", 1)
                .node(K, "UpSampling2D", "up", l("p4"), l("p5"), "size", 2)
                .node(K, "Cropping2D", "cr", l("p5"), l("p6"), "cropping", 2)
                .node(K, "GlobalAveragePooling2D", "gap", l("p6"), l("p7"))
                .node(K, "Dropout", "dr", l("p7"), l("p8"), "rate", 0.5)
                .node(K, "Softmax", "sm", l("p8"), l("p9")));
        assertEquals("[1, 4, 4, 3]", shapeOf(r, "p"));
        assertEquals(Count.of(48 * 4), node(r, "p").otherFlops());
        assertEquals("[1, 6, 6, 3]", shapeOf(r, "zp"));
        assertEquals("[1, 8, 8, 3]", shapeOf(r, "cr"));
        assertEquals("[1, 3]", shapeOf(r, "sm"));
        for (String n : List.of("p", "bn", "add", "zp", "up", "cr", "gap", "dr", "sm")) {
            macs(r, n, 0);
        }
        assertTrue(r.compute().coverage().complete(), r.compute().coverage().toString());
    }

    @Test
    void nestedModelCountsItsLayers() {
        Graph inner = Ir.graph().named("inner").input("in", "batch", 16)
                .node(K, "Dense", "inner_dense", l("in"), l("h"), "units", 4).output("h").build();
        Report r = run(Ir.graph().input("x", "batch", 16)
                .node(K, "Sequential", "inner", l("x"), l("y"), "body", inner)
                .node(K, "Dense", "head", l("y"), l("z"), "units", 2));
        macs(r, "inner", 0);
        macs(r, "inner_dense", 64);
        assertEquals("[1, 4]", shapeOf(r, "inner"));
        assertEquals(64 + 8, r.compute().macs());
        assertTrue(r.compute().coverage().complete(), r.compute().coverage().toString());
    }

    @Test
    void sharedNestedModelCountsEveryCall() {
        Graph inner = Ir.graph().named("base").input("in", "batch", 16)
                .node(K, "Dense", "base_dense", l("in"), l("h"), "units", 4).output("h").build();
        Report r = run(Ir.graph().input("a", "batch", 16).input("b", "batch", 16)
                .node(K, "Functional", "base", l("a"), l("ya"), "body", inner)
                .node(K, "Functional", "base:1", l("b"), l("yb"), "body", inner)
                .node(K, "Subtract", "diff", l("ya", "yb"), l("d")));
        assertEquals(2 * 64, r.compute().macs(), "the shared model runs once per call");
        assertEquals("[1, 4]", shapeOf(r, "diff"));
        assertTrue(r.compute().coverage().complete(), r.compute().coverage().toString());
    }

    @Test
    void timeDistributedAppliesItsLayerToEveryStep() {
        Map<String, Object> dense = Map.of("class_name", "Dense", "config", Map.of("units", 4L));
        Map<String, Object> conv = Map.of("class_name", "Conv2D", "config", Map.of("filters", 2L,
                "kernel_size", List.of(3L, 3L)));
        Report r = run(Ir.graph().input("x", 1, 5, 8).input("v", 1, 3, 6, 6, 1)
                .node(K, "TimeDistributed", "td", l("x"), l("y"), "layer", dense)
                .node(K, "TimeDistributed", "tc", l("v"), l("w"), "layer", conv));
        assertEquals("[1, 5, 4]", shapeOf(r, "td"));
        macs(r, "td", 5 * 8 * 4);
        assertEquals("[1, 3, 4, 4, 2]", shapeOf(r, "tc"));
        macs(r, "tc", 3 * 4 * 4 * 2 * 9);
    }

    @Test
    void unknownLayerStaysWithoutRule() {
        Report r = run(Ir.graph().input("x", 1, 16)
                .node(K, "Dense", "d", l("x"), l("y"), "units", 4)
                .node(K, "FancyLayer", "f", l("y"), l("z")));
        assertFalse(node(r, "f").hasRule());
        assertEquals(Map.of("keras:FancyLayer", 1), r.compute().coverage().opsWithoutRule());
        assertTrue(r.compute().lowerBound());
        assertEquals(64, r.compute().macs());
    }
}
