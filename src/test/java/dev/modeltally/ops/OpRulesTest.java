package dev.modeltally.ops;

import static dev.modeltally.testing.Ir.node;
import static dev.modeltally.testing.Ir.shapeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Finding;
import dev.modeltally.testing.Ir;
import dev.modeltally.ops.Count;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shape and cost equations of the op rules, one small graph each. */
class OpRulesTest {

    private static final long MAX = Long.MAX_VALUE;

    /** Analyses and insists nothing went wrong inside a rule. */
    static Report run(Ir ir) {
        return run(ir, AnalysisOptions.DEFAULT);
    }

    static Report run(Ir ir, AnalysisOptions options) {
        Report r = ir.analyze(options);
        for (Finding f : r.findings()) {
            assertFalse(f.code().equals("shape-rule-error") || f.code().equals("shape-contradiction"), f.message());
        }
        return r;
    }

    private static List<String> l(String... s) {
        return List.of(s);
    }

    private static void costs(Report r, String n, long macs, long other) {
        NodeCompute nc = node(r, n);
        assertEquals(Count.of(macs), nc.macs(), n + " MACs");
        assertEquals(Count.of(other), nc.otherFlops(), n + " other FLOPs");
    }

    @Test
    void convSameUpperStrided() {
        Report r = run(Ir.graph().input("x", 1, 3, 224, 224).weight("w", 64, 3, 7, 7)
                .node("Conv", "c", l("x", "w"), l("y"), "strides", new long[] {2, 2}, "auto_pad", "SAME_UPPER"));
        assertEquals("[1, 64, 112, 112]", shapeOf(r, "c"));
        costs(r, "c", 118_013_952, 0);
    }

    @Test
    void convGroupedDilatedPaddedWithBias() {
        Report r = run(Ir.graph().input("x", 1, 8, 20, 20).weight("w", 16, 2, 3, 3).weight("b", 16)
                .node("Conv", "c", l("x", "w", "b"), l("y"), "group", 4, "dilations", new long[] {2, 2},
                        "pads", new long[] {2, 2, 2, 2}));
        assertEquals("[1, 16, 20, 20]", shapeOf(r, "c"));
        costs(r, "c", 16 * 400 * 2 * 9, 16 * 400);
    }

    @Test
    void conv1dAndConvTranspose() {
        Report r = run(Ir.graph().input("x", 1, 4, 50).weight("w", 8, 4, 5)
                .node("Conv", "c1", l("x", "w"), l("y"), "strides", new long[] {2}, "pads", new long[] {1, 1},
                        "dilations", new long[] {2})
                .input("z", 1, 24, 10, 10).weight("wt", 24, 6, 3, 3)
                .node("ConvTranspose", "t", l("z", "wt"), l("u"), "group", 2, "strides", new long[] {2, 2},
                        "pads", new long[] {1, 1, 1, 1}, "output_padding", new long[] {1, 1})
                .node("ConvTranspose", "t2", l("z", "wt"), l("v"), "group", 2, "strides", new long[] {2, 2},
                        "output_shape", new long[] {15, 15}));
        assertEquals("[1, 8, 22]", shapeOf(r, "c1"));
        costs(r, "c1", 8 * 22 * 4 * 5, 0);
        assertEquals("[1, 12, 20, 20]", shapeOf(r, "t"));
        costs(r, "t", 24 * 100 * 6 * 9, 0);
        assertEquals("[1, 12, 15, 15]", shapeOf(r, "t2"));
    }

    @Test
    void poolingCeilModeDropsAWindowStartingInPadding() {
        Report r = run(Ir.graph().input("x", 1, 3, 5, 5)
                .node("MaxPool", "p", l("x"), l("y", "idx"), "kernel_shape", new long[] {2, 2},
                        "strides", new long[] {2, 2}, "pads", new long[] {1, 1, 1, 1}, "ceil_mode", 1)
                .node("AveragePool", "a", l("x"), l("z"), "kernel_shape", new long[] {3, 3})
                .node("GlobalAveragePool", "g", l("x"), l("w")));
        assertEquals("[1, 3, 3, 3]", shapeOf(r, "p"));
        assertEquals(DType.INT64, node(r, "p").outputs().get(1).dtype());
        assertEquals("[1, 3, 3, 3]", shapeOf(r, "a"));
        costs(r, "a", 0, 27 * 9);
        assertEquals("[1, 3, 1, 1]", shapeOf(r, "g"));
        costs(r, "g", 0, 75);
    }

    @Test
    void gemmAndBroadcastingMatMul() {
        Report r = run(Ir.graph().input("a", 2, 20).weight("b", 10, 20).weight("c", 10)
                .node("Gemm", "g", l("a", "b", "c"), l("y"), "transB", 1)
                .input("p", 2, 1, 3, 4).input("q", 5, 4, 6).node("MatMul", "m", l("p", "q"), l("pq"))
                .input("v", 4).weight("w", 4, 6).node("MatMul", "vec", l("v", "w"), l("vw"))
                .input("s", 3, 4).node("MatMul", "mv", l("s", "v"), l("sv")));
        assertEquals("[2, 10]", shapeOf(r, "g"));
        costs(r, "g", 400, 20);
        assertEquals("[2, 5, 3, 6]", shapeOf(r, "m"));
        costs(r, "m", 720, 0);
        assertEquals("[6]", shapeOf(r, "vec"));
        costs(r, "vec", 24, 0);
        assertEquals("[3]", shapeOf(r, "mv"));
        costs(r, "mv", 12, 0);
    }

    @Test
    void einsumExplicitImplicitEllipsisAndTrace() {
        Report r = run(Ir.graph().input("a", 2, 3, 4).input("b", 2, 4, 5).input("c", 3, 4).input("d", 4, 5)
                .input("e", 7, 3, 4).input("f", 7, 4, 5).input("sq", 4, 4)
                .node("Einsum", "bmm", l("a", "b"), l("y1"), "equation", "bij,bjk->bik")
                .node("Einsum", "mm", l("c", "d"), l("y2"), "equation", "ij,jk")
                .node("Einsum", "ell", l("e", "f"), l("y3"), "equation", "...ij,...jk->...ik")
                .node("Einsum", "tr", l("sq"), l("y4"), "equation", "ii->"));
        assertEquals("[2, 3, 5]", shapeOf(r, "bmm"));
        costs(r, "bmm", 120, 0);
        assertEquals("[3, 5]", shapeOf(r, "mm"));
        costs(r, "mm", 60, 0);
        assertEquals("[7, 3, 5]", shapeOf(r, "ell"));
        costs(r, "ell", 420, 0);
        assertEquals("[]", shapeOf(r, "tr"));
        costs(r, "tr", 0, 16);
    }

    @Test
    void shapeGatherConcatReshapeResolvesWithBatch() {
        Ir ir = Ir.graph().input("x", "batch", 3, 4, 4).scalar("zero", 0).ints("axes0", 0).ints("minus1", -1)
                .node("Shape", "shape", l("x"), l("s"))
                .node("Gather", "gather", l("s", "zero"), l("n"), "axis", 0)
                .node("Unsqueeze", "unsq", l("n", "axes0"), l("n1"))
                .node("Concat", "cat", l("n1", "minus1"), l("target"), "axis", 0)
                .node("Reshape", "flat", l("x", "target"), l("y")).output("y");
        Report r = run(ir, new AnalysisOptions(Map.of(), 5));
        assertEquals("[5, 48]", shapeOf(r, "flat"));
        assertTrue(r.compute().assumed().isEmpty(), r.compute().assumed().toString());
        Report dflt = run(ir);
        assertEquals("[1, 48]", shapeOf(dflt, "flat"));
        assertTrue(dflt.compute().assumed().get(0).contains("'batch' taken as 1"), dflt.compute().assumed().toString());
    }

    @Test
    void torchExpandIdiomThroughConstantOfShapeEqualWhere() {
        // Expand(x, Where(Equal(t, -1), ones, t)) with t = [4, -1], as the TorchScript exporter writes x.expand(4, -1)
        Ir ir = Ir.graph().input("x", 1, 3).ints("t", 4, -1).ints("two", 2).scalar("m1", -1)
                .node("ConstantOfShape", "ones", l("two"), l("o"), "value",
                        new dev.modeltally.ir.Weight("v", DType.INT64, dev.modeltally.ir.Shape.of(1),
                                dev.modeltally.ir.Weight.Role.CONSTANT_NODE, false,
                                new dev.modeltally.ir.Storage.Inline(0, 0), List.of(1L)))
                .node("Mul", "neg", l("o", "m1"), l("mo"))
                .node("Equal", "eq", l("t", "mo"), l("is"))
                .node("Where", "where", l("is", "o", "t"), l("target"))
                .node("Expand", "expand", l("x", "target"), l("y"));
        Report r = run(ir);
        assertEquals("[4, 3]", shapeOf(r, "expand"));
    }

    @Test
    void sliceSplitSqueezeUnsqueezePadTileExpandRange() {
        Report r = run(Ir.graph().input("x", 2, 3, 4, 5).input("m", 2, 10).input("sq", 1, 3, 1, 5)
                .ints("st", -2).ints("en", MAX).ints("s8", 8).ints("e1", 1).ints("ax1", 1).ints("stm2", -2)
                .ints("sp", 3, 7).ints("axes", -1, 0).ints("pads", 0, 0, 1, 2, 0, 0, 3, 4).ints("rep", 2, 2)
                .ints("tgt", 2, 1, 4).scalar("r0", 0).scalar("r10", 10).scalar("r3", 3)
                .node("Shape", "shape", l("x"), l("s"))
                .node("Slice", "tail", l("s", "st", "en"), l("hw"))
                .node("ConstantOfShape", "cos", l("hw"), l("z"))
                .node("Slice", "back", l("m", "s8", "e1", "ax1", "stm2"), l("mb"))
                .node("Split", "split3", l("m"), l("p1", "p2", "p3"), "axis", 1, "num_outputs", 3)
                .node("Split", "split2", l("m", "sp"), l("q1", "q2"), "axis", 1)
                .node("Squeeze", "squeeze", l("sq"), l("sq2"))
                .node("Unsqueeze", "unsqueeze", l("sq2", "axes"), l("sq3"))
                .node("Pad", "pad", l("x", "pads"), l("xp"))
                .node("Tile", "tile", l("m", "rep"), l("mt"))
                .input("col", 3, 1).node("Expand", "expand", l("col", "tgt"), l("ce"))
                .node("Range", "range", l("r0", "r10", "r3"), l("rg"))
                .node("ConstantOfShape", "rcos", l("rg"), l("rz"))
                .node("Flatten", "flatten", l("x"), l("xf"), "axis", 0));
        assertEquals("[4, 5]", shapeOf(r, "cos"));
        assertEquals("[2, 4]", shapeOf(r, "back"));
        assertEquals("[2, 4]", shapeOf(r, "split3"));
        assertEquals("[2, 2]", node(r, "split3").outputs().get(2).shape().toString());
        assertEquals("[2, 7]", node(r, "split2").outputs().get(1).shape().toString());
        assertEquals("[3, 5]", shapeOf(r, "squeeze"));
        assertEquals("[1, 3, 5, 1]", shapeOf(r, "unsqueeze"));
        assertEquals("[2, 3, 8, 11]", shapeOf(r, "pad"));
        assertEquals("[4, 20]", shapeOf(r, "tile"));
        assertEquals("[2, 3, 4]", shapeOf(r, "expand"));
        assertEquals("[4]", shapeOf(r, "range"));
        assertEquals("[0, 3, 6, 9]", shapeOf(r, "rcos"));
        assertEquals("[1, 120]", shapeOf(r, "flatten"));
    }

    @Test
    void torchPadExportFlipsPairsOfComputedPads() {
        // F.pad(x, (0, 0, 0, 7 - W, 0, 7 - H)) as torch.onnx exports it (Swin's window padding):
        // torch's last-axis-first pairs are reshaped to [4, 2], flipped by a step -1 Slice, transposed
        // and flattened into ONNX's begins-then-ends, all on computed values.
        Report r = run(Ir.graph().input("x", 1, 5, 6, 3).scalar("i1", 1).scalar("i2", 2).scalar("seven", 7)
                .ints("a0", 0).ints("z1", 0).ints("z2", 0, 0).ints("pairs", -1, 2).ints("m1", -1)
                .ints("mmax", -MAX)
                .node("Shape", "shape", l("x"), l("s"))
                .node("Gather", "w", l("s", "i2"), l("W"), "axis", 0)
                .node("Gather", "h", l("s", "i1"), l("H"), "axis", 0)
                .node("Sub", "pr", l("seven", "W"), l("pr"))
                .node("Sub", "pb", l("seven", "H"), l("pb"))
                .node("Unsqueeze", "prv", l("pr", "a0"), l("prv"))
                .node("Unsqueeze", "pbv", l("pb", "a0"), l("pbv"))
                .node("Concat", "cat", l("z1", "z1", "z1", "prv", "z1", "pbv", "z2"), l("torch_pads"), "axis", 0)
                .node("Reshape", "pairs", l("torch_pads", "pairs"), l("p2"))
                .node("Slice", "flip", l("p2", "m1", "mmax", "a0", "m1"), l("p2f"))
                .node("Transpose", "t", l("p2f"), l("p2t"), "perm", new long[] {1, 0})
                .node("Reshape", "flat", l("p2t", "m1"), l("pads"))
                .node("Pad", "pad", l("x", "pads"), l("y")));
        assertEquals("[4, 2]", shapeOf(r, "flip"));
        assertEquals("[2, 4]", shapeOf(r, "t"));
        assertEquals("[1, 7, 7, 3]", shapeOf(r, "pad"));
    }

    @Test
    void floatArithmeticOnShapesAndResize() {
        // size = floor(H * 2.5): Shape -> Gather -> Cast(float) -> Mul -> Floor -> Cast(int64) -> Unsqueeze
        Report r = run(Ir.graph().input("x", 1, 3, 10, 10).scalar("two", 2).floats("k", 2.5).ints("a0", 0)
                .floats("scales", 1, 1, 2, 2).ints("sizes", 1, 3, 7, 9)
                .node("Shape", "shape", l("x"), l("s"))
                .node("Gather", "h", l("s", "two"), l("hv"))
                .node("Cast", "f", l("hv"), l("hf"), "to", 1)
                .node("Mul", "mul", l("hf", "k"), l("hk"))
                .node("Floor", "floor", l("hk"), l("hfl"))
                .node("Cast", "i", l("hfl"), l("hi"), "to", 7)
                .node("Unsqueeze", "u", l("hi", "a0"), l("hu"))
                .node("ConstantOfShape", "cos", l("hu"), l("z"))
                .node("Resize", "up", l("x", "", "scales"), l("y"), "mode", "linear")
                .node("Resize", "fit", l("x", "", "", "sizes"), l("w")));
        assertEquals("[25]", shapeOf(r, "cos"));
        assertEquals("[1, 3, 20, 20]", shapeOf(r, "up"));
        costs(r, "up", 0, 2L * 2 * 1200);
        assertEquals("[1, 3, 7, 9]", shapeOf(r, "fit"));
        costs(r, "fit", 0, 0);
    }

    @Test
    void recurrentCells() {
        Report r = run(Ir.graph().input("x", 4, 20, 32).weight("w", 2, 256, 32).weight("r", 2, 256, 64)
                .weight("b", 2, 512)
                .node("LSTM", "lstm", l("x", "w", "r", "b"), l("y", "yh", "yc"), "hidden_size", 64,
                        "direction", "bidirectional", "layout", 1)
                .input("g", 20, 1, 128).weight("gw", 1, 144, 128).weight("gr", 1, 144, 48)
                .node("GRU", "gru", l("g", "gw", "gr"), l("gy"), "hidden_size", 48)
                .weight("nw", 1, 16, 128).weight("nr", 1, 16, 16)
                .node("RNN", "rnn", l("g", "nw", "nr"), l("ny", "nh"), "hidden_size", 16));
        assertEquals("[4, 20, 2, 64]", shapeOf(r, "lstm"));
        assertEquals("[4, 2, 64]", node(r, "lstm").outputs().get(1).shape().toString());
        costs(r, "lstm", 2L * 20 * 4 * 256 * 96, 2L * 20 * 4 * (512 + 256 + 5 * 64));
        assertEquals("[20, 1, 1, 48]", shapeOf(r, "gru"));
        costs(r, "gru", 20L * 144 * 176, 20L * (144 + 5 * 48));
        assertEquals("[1, 1, 16]", node(r, "rnn").outputs().get(1).shape().toString());
        costs(r, "rnn", 20L * 16 * 144, 20L * 16);
    }

    @Test
    void attentionVariants() {
        Report r = run(Ir.graph().input("q", 1, 8, 64).input("k", 1, 8, 32).input("v", 1, 8, 32).scalar("total", 8)
                .node("com.microsoft", "GroupQueryAttention", "gqa", l("q", "k", "v", "", "", "", "total"),
                        l("o", "pk", "pv"), "num_heads", 4, "kv_num_heads", 2)
                .input("Q", 2, 4, 10, 8).input("K", 2, 4, 12, 8).input("V", 2, 4, 12, 16)
                .node("Attention", "sdpa", l("Q", "K", "V"), l("Y")).opset("ai.onnx", 23));
        assertEquals("[1, 8, 64]", shapeOf(r, "gqa"));
        assertEquals("[1, 2, 8, 16]", node(r, "gqa").outputs().get(1).shape().toString());
        costs(r, "gqa", 8 * 8 * 2 * 64, 4L * 8 * 8 * 4);
        assertEquals("[2, 4, 10, 16]", shapeOf(r, "sdpa"));
        costs(r, "sdpa", 2 * 4 * 10 * 12 * 24, 4L * 2 * 4 * 10 * 12);
    }

    @Test
    void reductionsTopKAndFriends() {
        Report r = run(Ir.graph().input("x", 5, 10).ints("k", 3).ints("ax", 1).ints("none")
                .node("TopK", "topk", l("x", "k"), l("val", "ind"))
                .node("ArgMax", "argmax", l("x"), l("am"), "axis", 1, "keepdims", 0)
                .node("ReduceMean", "mean", l("x", "ax"), l("rm"))
                .node("ReduceSum", "noop", l("x", "none"), l("rs"), "noop_with_empty_axes", 1)
                .node("ReduceMax", "all", l("x"), l("ra"), "keepdims", 0)
                .node("Softmax", "sm", l("x"), l("p"))
                .input("d", 1, 8, 3, 3).node("DepthToSpace", "d2s", l("d"), l("ds"), "blocksize", 2)
                .input("ids", DType.INT64, Ir.shape(4)).scalar("depth", 10).ints("onoff", 0, 1)
                .node("OneHot", "onehot", l("ids", "depth", "onoff"), l("oh"))
                .node("NonZero", "nz", l("x"), l("nzi"))
                .node("QuantizeLinear", "q", l("x", "s", "zp"), l("xq")).weight("s")
                .node("DynamicQuantizeLinear", "dq", l("x"), l("y", "ys", "yz")));
        assertEquals("[5, 3]", shapeOf(r, "topk"));
        assertEquals(DType.INT64, node(r, "topk").outputs().get(1).dtype());
        assertEquals("[5]", shapeOf(r, "argmax"));
        assertEquals("[5, 1]", shapeOf(r, "mean"));
        assertEquals("[5, 10]", shapeOf(r, "noop"));
        assertEquals("[]", shapeOf(r, "all"));
        costs(r, "sm", 0, 150);
        assertEquals("[1, 2, 6, 6]", shapeOf(r, "d2s"));
        assertEquals("[4, 10]", shapeOf(r, "onehot"));
        assertEquals("[2, ?]", shapeOf(r, "nz"));
        assertEquals("[5, 10]", shapeOf(r, "q"));
        assertEquals(DType.UINT8, node(r, "dq").outputs().get(0).dtype());
        assertEquals("[]", node(r, "dq").outputs().get(1).shape().toString());
    }

    @Test
    void symbolicDimsPropagateAsProducts() {
        Report r = run(Ir.graph().input("x", 2, "seq", 8).ints("t", -1, 8).weight("w", 8, 16)
                .node("Reshape", "flat", l("x", "t"), l("f"))
                .node("MatMul", "mm", l("f", "w"), l("y")).output("y"));
        assertEquals("[2*seq, 8]", shapeOf(r, "flat"));
        assertEquals("[2*seq, 16]", shapeOf(r, "mm"));
        assertEquals(Count.UNKNOWN, node(r, "mm").macs());
        assertTrue(r.compute().lowerBound());
        assertTrue(r.compute().notes().get(0).contains("'seq'"), r.compute().notes().toString());
        Report fixed = run(Ir.graph().input("x", 2, "seq", 8).ints("t", -1, 8).weight("w", 8, 16)
                .node("Reshape", "flat", l("x", "t"), l("f"))
                .node("MatMul", "mm", l("f", "w"), l("y")).output("y"),
                new AnalysisOptions(Map.of("x", dev.modeltally.ir.Shape.of(2, 5, 8)), 0));
        assertEquals(Count.of(10 * 8 * 16), node(fixed, "mm").macs());
        assertFalse(fixed.compute().lowerBound());
    }

    @Test
    void sizeAndReshapeOfValues() {
        Report r = run(Ir.graph().input("x", 2, 3, 4).ints("a0", 0)
                .node("Size", "size", l("x"), l("n"))
                .node("Unsqueeze", "u", l("n", "a0"), l("nv"))
                .node("Reshape", "flat", l("x", "nv"), l("y")));
        assertEquals("[24]", shapeOf(r, "flat"));
    }

    @Test
    void visionOps() {
        Report r = run(Ir.graph().input("x", 2, 3, 16, 16).input("grid", 2, 5, 7, 2).input("rois", 10, 4)
                .input("idx", DType.INT64, Ir.shape(10)).input("p", 1, 3, 4, 4)
                .node("GridSample", "gs", l("x", "grid"), l("g"))
                .node("RoiAlign", "roi", l("x", "rois", "idx"), l("ra"), "output_height", 7, "output_width", 7,
                        "sampling_ratio", 2)
                .node("MaxUnpool", "unpool", l("p", "ind"), l("up"), "kernel_shape", new long[] {2, 2},
                        "strides", new long[] {2, 2})
                .input("ind", DType.INT64, Ir.shape(1, 3, 4, 4))
                .input("boxes", 1, 100, 4).input("scores", 1, 1, 100)
                .node("NonMaxSuppression", "nms", l("boxes", "scores"), l("sel"))
                .node("Unique", "uniq", l("x"), l("u", "ui", "inv", "cnt")));
        assertEquals("[2, 3, 5, 7]", shapeOf(r, "gs"));
        costs(r, "gs", 0, 4L * 2 * 3 * 35);
        assertEquals("[10, 3, 7, 7]", shapeOf(r, "roi"));
        costs(r, "roi", 0, 16L * 10 * 3 * 49);
        assertEquals("[1, 3, 8, 8]", shapeOf(r, "unpool"));
        assertEquals("[?, 3]", shapeOf(r, "nms"));
        assertEquals(Count.UNKNOWN, node(r, "nms").otherFlops(), "data-dependent work is unknown, not 0");
        assertEquals("[1536]", node(r, "uniq").outputs().get(2).shape().toString());
    }

    @Test
    void deformConvCountsTheConvAndItsSamples() {
        Report r = run(Ir.graph().input("x", 1, 4, 8, 8).weight("w", 6, 4, 3, 3).input("off", 1, 18, 6, 6)
                .node("DeformConv", "dc", l("x", "w", "off"), l("y")));
        assertEquals("[1, 6, 6, 6]", shapeOf(r, "dc"));
        costs(r, "dc", 6 * 36 * 4 * 9, 4 * 4 * 36 * 9);
    }
}
