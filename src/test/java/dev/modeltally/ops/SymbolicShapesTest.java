package dev.modeltally.ops;

import static dev.modeltally.testing.Ir.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Shape;
import dev.modeltally.testing.Ir;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Shape rules over symbolic sizes and symbolic shape values: each graph is analysed once with
 * symbols for its free sizes and again at several concrete points; every symbolic output dim,
 * evaluated at a point, must equal the concrete run's dim there, and the named nodes must come out
 * with no Unknown dim.
 */
class SymbolicShapesTest {

    private static final String K = "keras";
    private static final long BIG = Long.MAX_VALUE;

    /** A graph whose free sizes come from {@code dim}: a symbol's name, or its value at a point. */
    interface Graph {
        Ir build(Function<String, Object> dim);
    }

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

    /** Runs the property; returns the symbolic report. {@code exact} nodes must have no Unknown dims. */
    static Report check(Graph g, List<Map<String, Long>> points, String... exact) {
        assertTrue(points.size() >= 3, "three points or more");
        Report sym = run(g.build(s -> s));
        for (String n : exact) {
            for (var v : node(sym, n).outputs()) {
                assertTrue(v.shape().rankKnown() && v.shape().dims().stream().noneMatch(d -> d instanceof Dim.Unknown),
                        n + " output " + v.name() + " is " + v.shape());
            }
        }
        for (Map<String, Long> p : points) {
            Report conc = run(g.build(s -> p.get(s)));
            for (NodeCompute nc : sym.compute().nodes()) {
                NodeCompute cc = node(conc, nc.name());
                for (int i = 0; i < nc.outputs().size(); i++) {
                    Shape s = nc.outputs().get(i).shape();
                    Shape c = cc.outputs().get(i).shape();
                    if (!s.rankKnown()) {
                        continue;
                    }
                    assertEquals(s.rank(), c.rank(), nc.name() + " rank at " + p);
                    for (int k = 0; k < s.rank(); k++) {
                        Expr e = s.dim(k).expr();
                        if (e != null) {
                            assertEquals(Dim.of(e.eval(p)), c.dim(k),
                                    nc.name() + " dim " + k + " = " + e + " at " + p + ": concrete " + c);
                        }
                    }
                }
            }
        }
        return sym;
    }

    private static List<Map<String, Long>> points(String name, long... values) {
        return java.util.Arrays.stream(values).mapToObj(v -> Map.of(name, v)).toList();
    }

    private static String shape(Report r, String n, int out) {
        return node(r, n).outputs().get(out).shape().toString();
    }

    @Test
    void transformerShapeChainEndsInSymbolicReshapeAndExpand() {
        Graph g = d -> Ir.graph().input("x", 1, d.apply("seq"), 768).weight("pos", 512, 768)
                .ints("one", 1).ints("heads", 12).ints("hd", 64).scalar("i1", 1).ints("ax0", 0).ints("zero", 0)
                .ints("minus1", -1).ints("ones4", 1, 1, 1, 1).input("small", 1, 1, 1, 1)
                .node("Shape", "shape", l("x"), l("s"))
                .node("Gather", "gather", l("s", "i1"), l("n"), "axis", 0)
                .node("Unsqueeze", "unsq", l("n", "ax0"), l("u"))
                .node("Concat", "concat", l("one", "u", "heads", "hd"), l("tgt"), "axis", 0)
                .node("Reshape", "reshape", l("x", "tgt"), l("r"))
                .node("Transpose", "tr", l("r"), l("t"), "perm", new long[] {0, 2, 1, 3})
                .node("MatMul", "scores", l("t", "t_T"), l("sc"))
                .node("Transpose", "trT", l("t"), l("t_T"), "perm", new long[] {0, 1, 3, 2})
                .node("Softmax", "softmax", l("sc"), l("p"), "axis", -1)
                .node("Slice", "posslice", l("pos", "zero", "u", "ax0"), l("pe"))
                .node("Add", "addpos", l("x", "pe"), l("xe"))
                .node("Equal", "eq", l("tgt", "minus1"), l("isneg"))
                .node("Where", "where", l("isneg", "ones4", "tgt"), l("etgt"))
                .node("Expand", "expand", l("small", "etgt"), l("big"))
                .node("Unsqueeze", "peB", l("pe", "ax0"), l("pe3"))
                .node("Concat", "withPos", l("x", "pe3"), l("xp"), "axis", 2);
        Report r = check(g, points("seq", 1, 7, 64, 512), "reshape", "tr", "softmax", "posslice", "addpos", "expand",
                "withPos");
        assertEquals("[1, seq, 12, 64]", shape(r, "reshape", 0));
        assertEquals("[1, 12, seq, seq]", shape(r, "softmax", 0));
        assertEquals("[min(512, seq), 768]", shape(r, "posslice", 0));
        assertEquals("[1, seq, 768]", shape(r, "addpos", 0));
        assertEquals("[1, seq, 12, 64]", shape(r, "expand", 0));
        assertEquals("[1, seq, 1536]", shape(r, "withPos", 0));
    }

    @Test
    void sliceClampsOverSymbolicSizesAndSymbolicBounds() {
        Graph g = d -> Ir.graph().input("x", 1, d.apply("L"), 8)
                .ints("ax1", 1).ints("m1", -1).ints("big", BIG).ints("p1", 1).ints("p2", 2).ints("p5", 5)
                .ints("z", 0).ints("neg", Long.MIN_VALUE).ints("s2", 2).ints("s3", 3).ints("sm1", -1).ints("i1", 1)
                .node("Slice", "last", l("x", "m1", "big", "ax1"), l("y1"))
                .node("Slice", "inner", l("x", "p1", "m1", "ax1"), l("y2"))
                .node("Slice", "head", l("x", "z", "p5", "ax1"), l("y3"))
                .node("Slice", "reverse", l("x", "m1", "neg", "ax1", "sm1"), l("y4"))
                .node("Slice", "strided", l("x", "p1", "big", "ax1", "s2"), l("y5"))
                .node("Slice", "stridedHead", l("x", "p2", "p5", "ax1", "s3"), l("y6"))
                .node("Shape", "shape", l("x"), l("s"))
                .node("Gather", "gl", l("s", "i1"), l("len"), "axis", 0)
                .node("Slice", "toLen", l("x", "p2", "len", "ax1"), l("y7"))
                .node("Slice", "cutShape", l("s", "p1", "p2"), l("y8"))
                .node("Reshape", "useCut", l("x", "cutShape_out"), l("y9"))
                .ints("cutShape_tail", 8).node("Concat", "cc", l("one8", "y8", "cutShape_tail"), l("cutShape_out"),
                        "axis", 0)
                .ints("one8", 1);
        Report r = check(g, points("L", 0, 1, 2, 5, 7, 12), "last", "inner", "head", "reverse", "strided",
                "stridedHead", "toLen", "useCut");
        assertEquals("[1, L, 8]", shape(r, "useCut", 0));
        assertEquals("[1, min(5, L), 8]", shape(r, "head", 0));
    }

    @Test
    void splitEquallyOrUnevenlyAndBySymbolicSizes() {
        Graph g = d -> Ir.graph().input("x", 1, d.apply("L"), 4).input("y", 1, 4, d.apply("L"))
                .node("Split", "thirds", l("x"), l("a", "b", "c"), "axis", 1)
                .node("Concat", "both", l("x", "x"), l("xx"), "axis", 1)
                .node("Split", "halves", l("xx"), l("h1", "h2"), "axis", 1)
                .node("Shape", "sy", l("y"), l("s")).ints("i2", 2).node("Gather", "g", l("s", "i2"), l("n"), "axis", 0)
                .node("Concat", "sizes", l("n", "n"), l("parts"), "axis", 0)
                .node("Split", "bySize", l("xx", "parts"), l("p1", "p2"), "axis", 1);
        Report r = check(g, points("L", 1, 3, 7, 8, 12), "thirds", "halves", "bySize");
        assertEquals("[1, L, 4]", shape(r, "halves", 1));
        assertEquals("[1, L, 4]", shape(r, "bySize", 1));
    }

    @Test
    void padBySymbolicOrConstantPads() {
        Graph g = d -> Ir.graph().input("x", 1, d.apply("L"), 4)
                .ints("z4", 0, 0, 0, 0).ints("z1", 0).ints("i1", 1).ints("fixedPads", 0, 1, 0, 0, 2, 0)
                .ints("cut", 0, -1, 0, 0, 0, 0)
                .node("Shape", "s", l("x"), l("sh"))
                .node("Gather", "g", l("sh", "i1"), l("len"), "axis", 0)
                .node("Concat", "pads", l("z4", "len", "z1"), l("pp"), "axis", 0)
                .node("Pad", "double", l("x", "pp"), l("y1"))
                .node("Pad", "grow", l("x", "fixedPads"), l("y2"))
                .node("Pad", "shrink", l("x", "cut"), l("y3"));
        Report r = check(g, points("L", 1, 4, 9), "double", "grow", "shrink");
        assertEquals("[1, 2*L, 4]", shape(r, "double", 0));
        assertEquals("[1, L + 3, 4]", shape(r, "grow", 0));
    }

    @Test
    void spaceToDepthAndBackOverSymbolicImageSizes() {
        Graph g = d -> Ir.graph().input("x", 1, 4, d.apply("H"), d.apply("W"))
                .node("SpaceToDepth", "s2d", l("x"), l("y"), "blocksize", 2)
                .node("DepthToSpace", "d2s", l("y"), l("z"), "blocksize", 2);
        List<Map<String, Long>> pts = List.of(Map.of("H", 2L, "W", 4L), Map.of("H", 6L, "W", 8L),
                Map.of("H", 10L, "W", 2L));
        Report r = check(g, pts, "s2d", "d2s");
        assertEquals("[1, 4, 2*floor(H/2), 2*floor(W/2)]", shape(r, "d2s", 0));
    }

    @Test
    void kerasSpatialLayersOverFreeImageSizes() {
        Graph g = d -> Ir.graph().input("x", 1, d.apply("H"), d.apply("W"), 3)
                .node(K, "Conv2D", "same", l("x"), l("a"), "filters", 8, "kernel_size", 3, "strides", 2,
                        "padding", "same", "use_bias", false)
                .node(K, "Conv2D", "valid", l("a"), l("b"), "filters", 8, "kernel_size", 3, "padding", "valid",
                        "use_bias", false)
                .node(K, "MaxPooling2D", "pool", l("b"), l("c"), "pool_size", 2)
                .node(K, "ZeroPadding2D", "zp", l("c"), l("e"), "padding", 1)
                .node(K, "Cropping2D", "crop", l("e"), l("f"), "cropping", List.of(List.of(1L, 0L), List.of(0L, 1L)))
                .node(K, "UpSampling2D", "up", l("f"), l("h"), "size", 2)
                .node(K, "Conv2DTranspose", "deconv", l("h"), l("i"), "filters", 4, "kernel_size", 3, "strides", 2,
                        "padding", "same", "use_bias", false)
                .node(K, "Flatten", "flat", l("i"), l("j"))
                .node(K, "Reshape", "reshape", l("i"), l("k"), "target_shape", new long[] {-1, 2})
                .node(K, "Concatenate", "cat", l("i", "i"), l("m"), "axis", 1);
        List<Map<String, Long>> pts = List.of(Map.of("H", 16L, "W", 16L), Map.of("H", 23L, "W", 17L),
                Map.of("H", 40L, "W", 31L));
        Report r = check(g, pts, "same", "valid", "pool", "zp", "crop", "up", "deconv", "flat", "reshape", "cat");
        assertEquals("[1, floor((H + 1)/2), floor((W + 1)/2), 8]", shape(r, "same", 0));
        assertEquals("[1, 4*floor((H + 1)/4), 4*floor((W + 1)/4), 4]", shape(r, "deconv", 0));
        assertEquals("[1, 64*floor((H + 1)/4)*floor((W + 1)/4)]", shape(r, "flat", 0));
    }

    @Test
    void topKBySymbolicKMaxUnpoolAndLoopBySymbolicTrips() {
        dev.modeltally.ir.Graph body = Ir.graph().named("body")
                .input("i", dev.modeltally.ir.DType.INT64, Shape.scalar())
                .input("c", dev.modeltally.ir.DType.BOOL, Shape.scalar()).input("h", 1, 4)
                .node("Identity", "keep", l("c"), l("c_out"))
                .node("MatMul", "step", l("h", "w"), l("h_out"))
                .output("c_out").output("h_out").output("h_out").build();
        Graph g = d -> Ir.graph().input("x", 1, d.apply("L"), 8).input("p", 1, 2, d.apply("L"), 3)
                .input("h0", 1, 4).weight("w", 4, 4)
                .ints("i1", 1).ints("two", 2).scalar("s1", 1)
                .node("Shape", "shape", l("x"), l("s"))
                .node("Gather", "g", l("s", "i1"), l("len"), "axis", 0)
                .node("Div", "half", l("len", "two"), l("k"))
                .node("TopK", "topk", l("x", "k"), l("v", "idx"), "axis", 1)
                .node("MaxUnpool", "unpool", l("p"), l("u"), "kernel_shape", new long[] {2, 2},
                        "strides", new long[] {2, 2})
                .node("Gather", "gs", l("s", "s1"), l("n"), "axis", 0)
                .node("Loop", "loop", l("n", "", "h0"), l("h_final", "hs"), "body", body);
        Report r = check(g, points("L", 1, 4, 9), "topk", "unpool", "loop");
        assertEquals("[1, floor(L/2), 8]", shape(r, "topk", 0));
        assertEquals("[1, 2, 2*L, 6]", shape(r, "unpool", 0));
        assertEquals("[L, 1, 4]", shape(r, "loop", 1));
    }

    @Test
    void sliceFromTheEndBySymbolicNegativeStart() {
        Graph g = d -> Ir.graph().input("x", 1, d.apply("L"), 8).input("y", 1, d.apply("M"))
                .ints("i1", 1).ints("one", 1).ints("big", BIG).ints("ax1", 1)
                .node("Shape", "sy", l("y"), l("s"))
                .node("Gather", "g", l("s", "i1"), l("m"), "axis", 0)
                .node("Add", "plus1", l("m", "one"), l("m1"))
                .node("Neg", "neg", l("m1"), l("start"))
                .node("Slice", "tail", l("x", "start", "big", "ax1"), l("t"))
                .node("Abs", "abs", l("start"), l("back"))
                .node("Slice", "head", l("x", "zero", "back", "ax1"), l("h")).ints("zero", 0);
        List<Map<String, Long>> pts = List.of(Map.of("L", 1L, "M", 0L), Map.of("L", 5L, "M", 2L),
                Map.of("L", 3L, "M", 7L), Map.of("L", 9L, "M", 8L));
        Report r = check(g, pts, "tail", "head");
        assertEquals("[1, min(L, M + 1), 8]", shape(r, "head", 0));
    }

    @Test
    void kerasSequenceLayersOverAFreeLength() {
        Map<String, Object> conv = Map.of("class_name", "Conv2D", "config", Map.of("filters", 2L,
                "kernel_size", List.of(3L, 3L), "padding", "same", "strides", List.of(2L, 2L)));
        Graph g = d -> Ir.graph().input("t", 1, d.apply("T")).input("x", 1, d.apply("T"), 16)
                .input("v", 1, d.apply("T"), d.apply("H"), 6, 1)
                .node(K, "Embedding", "embed", l("t"), l("e"), "input_dim", 100, "output_dim", 16)
                .node(K, "Dense", "dense", l("x"), l("y"), "units", 8)
                .node(K, "Conv1D", "conv1d", l("y"), l("c"), "filters", 4, "kernel_size", 5, "strides", 3,
                        "padding", "valid")
                .node(K, "MultiHeadAttention", "mha", l("x", "e"), l("o"), "num_heads", 2, "key_dim", 8)
                .node(K, "Concatenate", "cat", l("x", "e"), l("xe"), "axis", 1)
                .node(K, "Flatten", "flat", l("xe"), l("f"))
                .node(K, "Reshape", "back", l("f"), l("b"), "target_shape", new long[] {-1, 32})
                .node(K, "TimeDistributed", "td", l("v"), l("w"), "layer", conv);
        List<Map<String, Long>> pts = List.of(Map.of("T", 5L, "H", 4L), Map.of("T", 8L, "H", 9L),
                Map.of("T", 21L, "H", 6L));
        Report r = check(g, pts, "embed", "dense", "conv1d", "mha", "cat", "flat", "back", "td");
        assertEquals("[1, 2*T, 16]", shape(r, "cat", 0));
        assertEquals("[1, T, 32]", shape(r, "back", 0));
    }

    @Test
    void reduceProdOfAShapeSliceFlattens() {
        Graph g = d -> Ir.graph().input("x", 1, d.apply("L"), 4, 8)
                .ints("one", 1).ints("big", BIG).ints("z", 0)
                .node("Shape", "s", l("x"), l("sh"))
                .node("Slice", "tailDims", l("sh", "one", "big", "z"), l("rest"))
                .node("ReduceProd", "prod", l("rest"), l("n"), "keepdims", 1)
                .node("Concat", "tgt", l("one", "n"), l("t"), "axis", 0)
                .node("Reshape", "flat", l("x", "t"), l("y"));
        Report r = check(g, points("L", 1, 3, 10), "flat");
        assertEquals("[1, 32*L]", shape(r, "flat", 0));
    }

    @Test
    void integerDivisionTruncatesOnlyWhereTheSignIsKnown() {
        Expr n = Expr.symbol("n");
        assertEquals(SymInt.of(Expr.floorDiv(n, 2)), Values.div(SymInt.of(n), SymInt.of(2)));
        assertEquals(SymInt.of(Expr.floorDiv(n, 2).negate()), Values.div(SymInt.of(n.negate()), SymInt.of(2)));
        assertEquals(SymInt.UNKNOWN, Values.div(SymInt.of(n.minus(Expr.ONE)), SymInt.of(2)), "-1/2 truncates to 0");
        for (long v = 0; v < 6; v++) {
            long at = v;
            assertEquals(-v / 2, Values.div(SymInt.of(n.negate()), SymInt.of(2)).expr().eval(x -> at));
        }
        assertEquals(0, n.lowerBound());
        assertEquals(3, Expr.max(n, Expr.constant(3)).lowerBound());
        assertEquals(Long.MIN_VALUE, n.minus(Expr.ONE).negate().lowerBound());
        assertEquals(SymInt.UNKNOWN, Values.abs(SymInt.of(n.minus(Expr.ONE))));
        assertEquals(SymInt.of(n), Values.abs(SymInt.of(n.negate())));
    }

    @Test
    void upsampledFeatureAddedToALateralOneBroadcastsToTheLarger() {
        Graph g = d -> Ir.graph().input("x", 1, 1, d.apply("H"), 8).floats("sc", 1, 1, 2, 1)
                .node("MaxPool", "s2", l("x"), l("a"), "kernel_shape", new long[] {1, 1}, "strides", new long[] {2, 1})
                .node("MaxPool", "s4", l("a"), l("b"), "kernel_shape", new long[] {1, 1}, "strides", new long[] {2, 1})
                .node("Resize", "up", l("b", "", "sc"), l("u"), "mode", "nearest")
                .node("Add", "merge", l("a", "u"), l("m"))
                .node("Mul", "again", l("m", "u"), l("m2"));
        // the model runs where both sizes agree (H = 4k, 4k + 3) or one is 1 (H = 1)
        Report r = check(g, points("H", 1, 3, 4, 7, 8, 12), "merge", "again");
        assertEquals("[1, 1, max(2*floor((H + 3)/4), floor((H + 1)/2))*min(1, min(2*floor((H + 3)/4), floor((H + 1)/2))), 8]", shape(r, "merge", 0));
    }

    @Test
    void concatOfFeaturesThatAgreeWhereTheModelRunsKeepsTheFirst() {
        Graph g = d -> Ir.graph().input("x", 1, 1, d.apply("H"), 8).floats("sc", 1, 1, 2, 1)
                .node("MaxPool", "s2", l("x"), l("a"), "kernel_shape", new long[] {1, 1}, "strides", new long[] {2, 1})
                .node("MaxPool", "s4", l("a"), l("b"), "kernel_shape", new long[] {1, 1}, "strides", new long[] {2, 1})
                .node("Resize", "up", l("b", "", "sc"), l("u"), "mode", "nearest")
                .node("Concat", "stack", l("a", "u"), l("st"), "axis", 1);
        Report r = check(g, points("H", 3, 4, 7, 8, 12), "stack");
        assertEquals("[1, 2, floor((H + 1)/2), 8]", shape(r, "stack", 0));
    }

    @Test
    void comparisonsOfSizesDecideWhereEverySizeAgrees() {
        assertEquals(SymInt.of(0), Values.compare(SymInt.of(Expr.symbol("n")), SymInt.of(-1), c -> c == 0));
        assertEquals(SymInt.of(1), Values.compare(SymInt.of(Expr.symbol("n")), SymInt.of(0), c -> c >= 0));
        assertEquals(SymInt.UNKNOWN, Values.compare(SymInt.of(Expr.symbol("n")), SymInt.of(0), c -> c > 0));
        assertEquals(SymInt.of(1),
                Values.compare(SymInt.of(Expr.symbol("n").plus(1)), SymInt.of(Expr.symbol("n")), c -> c > 0));
    }
}
