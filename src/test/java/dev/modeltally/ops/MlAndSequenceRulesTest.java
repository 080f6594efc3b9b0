package dev.modeltally.ops;

import static dev.modeltally.testing.Ir.node;
import static dev.modeltally.testing.Ir.shapeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Value;
import dev.modeltally.ir.ValueType;
import dev.modeltally.ir.Weight;
import dev.modeltally.testing.Ir;
import dev.modeltally.ops.Count;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ai.onnx.ml rules (shapes, attribute-held parameters, other FLOPs) and the sequence/optional ops. */
class MlAndSequenceRulesTest {

    private static final String ML = "ai.onnx.ml";

    private static List<String> l(String... s) {
        return List.of(s);
    }

    private static List<Double> floats(int n) {
        return Collections.nCopies(n, 0.5);
    }

    private static Value out(Report r, String node, int i) {
        return node(r, node).outputs().get(i);
    }

    @Test
    void linearClassifierScoresOnePerClassAndCoefficientsAreParameters() {
        Report r = OpRulesTest.run(Ir.graph().opset(ML, 1).input("x", 4, 6)
                .node(ML, "LinearClassifier", "lc", l("x"), l("label", "scores"), "coefficients", floats(18),
                        "intercepts", floats(3), "classlabels_strings", List.of("a", "b", "c"), "post_transform",
                        "SOFTMAX"));
        assertEquals("[4]", shapeOf(r, "lc"));
        assertEquals(DType.STRING, out(r, "lc", 0).dtype());
        assertEquals("[4, 3]", out(r, "lc", 1).shape().toString());
        assertEquals(Count.of(4 * 2 * 18 + 3 * 4 * 3), node(r, "lc").otherFlops());
        assertEquals(Count.of(0), node(r, "lc").macs());
        assertEquals(21, r.parameters().total());
        assertEquals(21, node(r, "lc").parameters());
    }

    @Test
    void binaryLinearClassifierWithOneRowStillScoresBothClasses() {
        Report r = OpRulesTest.run(Ir.graph().opset(ML, 1).input("x", 2, 4)
                .node(ML, "LinearClassifier", "lc", l("x"), l("label", "scores"), "coefficients", floats(4),
                        "intercepts", floats(1), "classlabels_ints", new long[] {0, 1}));
        assertEquals("[2, 2]", out(r, "lc", 1).shape().toString(), "as onnxruntime");
    }

    @Test
    void svmClassifierScoresOnePerPairOfClassesWithoutProbabilities() {
        Ir base = Ir.graph().opset(ML, 1).input("x", 3, 2);
        Report r = OpRulesTest.run(base.node(ML, "SVMClassifier", "svc", l("x"), l("label", "scores"),
                "support_vectors", floats(16), "vectors_per_class", new long[] {2, 2, 2, 2},
                "coefficients", floats(24), "rho", floats(6), "classlabels_ints", new long[] {0, 1, 2, 3},
                "kernel_type", "RBF"));
        assertEquals("[3, 6]", out(r, "svc", 1).shape().toString());
        assertEquals(Count.of(3 * (8 * (2 * 2 + 1) + 2 * 24)), node(r, "svc").otherFlops());
        assertEquals(16 + 24 + 6, r.parameters().total());
        Report p = OpRulesTest.run(Ir.graph().opset(ML, 1).input("x", 3, 2).node(ML, "SVMClassifier", "svc", l("x"),
                l("label", "scores"), "support_vectors", floats(16), "vectors_per_class", new long[] {2, 2, 2, 2},
                "coefficients", floats(24), "rho", floats(6), "prob_a", floats(6), "prob_b", floats(6),
                "classlabels_ints", new long[] {0, 1, 2, 3}));
        assertEquals("[3, 4]", out(p, "svc", 1).shape().toString(), "with probabilities: one per class");
    }

    @Test
    void treeEnsembleOpset5TensorsAndDepths() {
        Weight splits = new Weight("splits", DType.DOUBLE, Shape.of(3), Weight.Role.CONSTANT_NODE, false,
                new Storage.Inline(0, 0));
        Weight leaves = new Weight("leaves", DType.DOUBLE, Shape.of(4), Weight.Role.CONSTANT_NODE, false,
                new Storage.Inline(0, 0));
        // one tree: node 0 splits to node 1 (true) and leaf 0 (false); node 1 to leaves 1, 2; a second tree node 2
        Report r = OpRulesTest.run(Ir.graph().opset(ML, 5).input("x", DType.DOUBLE, Shape.of(5, 3))
                .node(ML, "TreeEnsemble", "te", l("x"), l("y"), "n_targets", 2, "tree_roots", new long[] {0, 2},
                        "nodes_splits", splits, "leaf_weights", leaves,
                        "nodes_truenodeids", new long[] {1, 1, 3}, "nodes_trueleafs", new long[] {0, 1, 1},
                        "nodes_falsenodeids", new long[] {0, 2, 0}, "nodes_falseleafs", new long[] {1, 1, 1}));
        assertEquals("[5, 2]", shapeOf(r, "te"));
        assertEquals(DType.DOUBLE, out(r, "te", 0).dtype());
        assertEquals(Count.of(5 * (2 + 1)), node(r, "te").otherFlops(), "depths 2 and 1");
        assertEquals(7, r.parameters().total());
    }

    @Test
    void longFloatListsKeptAsLengthOnlyStillCount() {
        Report r = OpRulesTest.run(Ir.graph().opset(ML, 1).input("x", 1, 5000)
                .node(ML, "LinearRegressor", "lr", l("x"), l("y"), "coefficients", new Attributes.Elements(10_000),
                        "intercepts", floats(2), "targets", 2));
        assertEquals("[1, 2]", shapeOf(r, "lr"));
        assertEquals(10_002, r.parameters().total());
        assertEquals(Count.of(2 * 10_000), node(r, "lr").otherFlops());
    }

    @Test
    void zipMapMakesASequenceOfMaps() {
        Report r = OpRulesTest.run(Ir.graph().opset(ML, 1).input("p", 7, 3)
                .node(ML, "ZipMap", "z", l("p"), l("m"), "classlabels_int64s", new long[] {0, 1, 2}));
        Value v = out(r, "z", 0);
        assertEquals("seq(map(int64, float))", v.typeName());
        assertEquals("[7]", v.shape().toString(), "length 7");
        assertTrue(r.compute().coverage().complete());
    }

    @Test
    void mapInputsCastMapDictVectorizerAndLookups() {
        ValueType map = new ValueType.MapType(DType.STRING, new ValueType.TensorType(DType.DOUBLE, Shape.scalar()));
        Ir ir = Ir.graph().opset(ML, 1);
        ir.input("m", DType.UNDEFINED, null);
        Report r = OpRulesTest.run(withInputType(ir, "m", map)
                .node(ML, "DictVectorizer", "dv", l("m"), l("v"), "string_vocabulary", List.of("a", "b", "c"))
                .node(ML, "CastMap", "cm", l("m"), l("c"), "cast_to", "TO_INT64", "map_form", "SPARSE", "max_map", 4)
                .input("s", DType.STRING, Shape.of(2, 1))
                .node(ML, "CategoryMapper", "cat", l("s"), l("i"))
                .node(ML, "OneHotEncoder", "oh", l("i"), l("o"), "cats_int64s", new long[] {1, 2, 3}));
        assertEquals("[1, 3]", shapeOf(r, "dv"));
        assertEquals(DType.DOUBLE, out(r, "dv", 0).dtype());
        assertEquals("[1, 4]", shapeOf(r, "cm"));
        assertEquals(DType.INT64, out(r, "cm", 0).dtype());
        assertEquals(DType.INT64, out(r, "cat", 0).dtype());
        assertEquals("[2, 1, 3]", shapeOf(r, "oh"));
    }

    private static Ir withInputType(Ir ir, String name, ValueType t) {
        return ir.typed(name, t);
    }

    @Test
    void sequenceOpsKeepElementsAndLengths() {
        Report r = OpRulesTest.run(Ir.graph().input("x", 10, 4).ints("split", 3, 7).scalar("last", -1)
                .node("SplitToSequence", "s", l("x", "split"), l("seq"), "axis", 0)
                .node("SequenceAt", "at", l("seq", "last"), l("tail"))
                .node("SequenceLength", "len", l("seq"), l("n"))
                .node("SplitToSequence", "rows", l("x"), l("each"), "axis", 1, "keepdims", 0)
                .node("ConcatFromSequence", "stack", l("each"), l("st"), "axis", 1, "new_axis", 1)
                .node("SequenceConstruct", "pair", l("x", "tail"), l("two"))
                .node("ConcatFromSequence", "cat", l("two"), l("joined"), "axis", 0)
                .node("SequenceErase", "erase", l("two"), l("one"))
                .node("SequenceLength", "len1", l("one"), l("n1")));
        assertEquals("[7, 4]", shapeOf(r, "at"));
        assertEquals("seq(float[?, 4]), length 2", dev.modeltally.report.ValueText.describe(out(r, "s", 0)));
        assertEquals("[10, 4]", shapeOf(r, "stack"));
        assertEquals("[17, 4]", shapeOf(r, "cat"));
        assertEquals("[1]", shapeOf(r, "erase"));
        assertTrue(r.compute().coverage().complete(), r.compute().coverage().toString());
    }

    @Test
    void loopCarryingASequenceGrowsIt() {
        Graph body = Ir.graph().named("body").input("i", DType.INT64, Shape.scalar())
                .input("c", DType.BOOL, Shape.scalar()).input("acc", DType.UNDEFINED, null)
                .node("Identity", "keep", l("c"), l("c_out"))
                .node("SequenceInsert", "ins", l("acc", "x"), l("acc_out"))
                .output("c_out").output("acc_out").build();
        Report r = OpRulesTest.run(Ir.graph().input("x", 2, 3).scalar("m", 4)
                .node("SequenceEmpty", "empty", l(), l("e"))
                .node("Loop", "loop", l("m", "", "e"), l("all"), "body", body)
                .node("ConcatFromSequence", "cat", l("all"), l("y"), "axis", 0));
        assertEquals("seq(float[2, 3])", out(r, "loop", 0).typeName());
        assertEquals("[?, 3]", shapeOf(r, "cat"), "the length is not tracked through iterations");
    }

    @Test
    void optionalOps() {
        Report r = OpRulesTest.run(Ir.graph().input("x", 2, 3)
                .node("Optional", "opt", l("x"), l("o"))
                .node("OptionalHasElement", "has", l("o"), l("h"))
                .node("OptionalGetElement", "get", l("o"), l("g")));
        assertEquals("optional(float[2, 3])", out(r, "opt", 0).typeName());
        assertEquals("[2, 3]", shapeOf(r, "get"));
        assertNull(out(r, "has", 0).type());
    }

    @Test
    void inputValueBindsAScalarAndMismatchesAreFindings() {
        Ir ir = Ir.graph().input("flag", DType.BOOL, Shape.scalar()).input("x", 2, 3);
        Report r = ir.analyze(new AnalysisOptions(Map.of(), 0, Map.of("flag", List.of(1L), "nope", List.of(1L))));
        assertTrue(r.findings().stream().anyMatch(f -> f.code().equals("input-value-unmatched")
                && f.message().contains("nope")));
        Report bad = Ir.graph().input("x", 2, 3).analyze(new AnalysisOptions(Map.of(), 0, Map.of("x", List.of(1.0))));
        assertTrue(bad.findings().stream().anyMatch(f -> f.code().equals("input-value-unmatched")
                && f.message().contains("1 value(s) for an input of shape [2, 3]")));
        assertEquals(List.of(16000L), AnalysisOptions.parseValues("16000"));
        assertEquals(List.of(1L, 0L, 2.5), AnalysisOptions.parseValues("true, false,2.5"));
        assertNull(AnalysisOptions.parseValues("abc"));
    }
}
