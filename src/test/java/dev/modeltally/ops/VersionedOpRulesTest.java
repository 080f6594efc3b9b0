package dev.modeltally.ops;

import static dev.modeltally.testing.Ir.node;
import static dev.modeltally.testing.Ir.shapeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.analysis.Report;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Finding;
import dev.modeltally.testing.Ir;
import dev.modeltally.ops.Count;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ops whose schema moved between opset versions: each rule follows the version the model imports
 * (OpContext.opset()), one test per change, the old form beside the new.
 */
class VersionedOpRulesTest {

    private static List<String> l(String... s) {
        return List.of(s);
    }

    private static boolean has(Report r, String code) {
        return r.findings().stream().map(Finding::code).anyMatch(code::equals);
    }

    @Test
    void preluSixSlopePerChannelWithoutBroadcasting() {
        Ir six = Ir.graph().opset("ai.onnx", 6).input("x", 1, 8, 5, 5).weight("slope", 8)
                .node("PRelu", "p", l("x", "slope"), l("y"));
        Report r = OpRulesTest.run(six);
        assertEquals("[1, 8, 5, 5]", shapeOf(r, "p"));
        assertEquals(Count.of(200), node(r, "p").otherFlops());
        // PRelu-7 broadcasts numpy-style: a [8] slope against W=5 is a contradiction there
        Report seven = Ir.graph().opset("ai.onnx", 7).input("x", 1, 8, 5, 5).weight("slope", 8)
                .node("PRelu", "p", l("x", "slope"), l("y")).analyze();
        assertTrue(has(seven, "shape-contradiction"));
        Report ok = OpRulesTest.run(Ir.graph().opset("ai.onnx", 9).input("x", 1, 8, 5, 5).weight("slope", 8, 1, 1)
                .node("PRelu", "p", l("x", "slope"), l("y")));
        assertEquals("[1, 8, 5, 5]", shapeOf(ok, "p"));
    }

    @Test
    void upsampleScalesAsAttributeInputOrHeightWidth() {
        Report seven = OpRulesTest.run(Ir.graph().opset("ai.onnx", 7).input("x", 1, 3, 4, 4)
                .node("Upsample", "u", l("x"), l("y"), "scales", List.of(1.0, 1.0, 2.0, 3.0)));
        assertEquals("[1, 3, 8, 12]", shapeOf(seven, "u"));
        Report nine = OpRulesTest.run(Ir.graph().opset("ai.onnx", 9).input("x", 1, 3, 4, 4)
                .floats("s", 1, 1, 2, 3).node("Upsample", "u", l("x", "s"), l("y")));
        assertEquals("[1, 3, 8, 12]", shapeOf(nine, "u"));
        Report one = OpRulesTest.run(Ir.graph().opset("ai.onnx", 1).input("x", 1, 3, 4, 4)
                .node("Upsample", "u", l("x"), l("y"), "height_scale", 2.0, "width_scale", 2.0, "mode", "NEAREST"));
        assertEquals("[1, 3, 8, 8]", shapeOf(one, "u"));
        assertEquals(Count.of(0), node(one, "u").otherFlops(), "NEAREST (Upsample-1 spells modes in capitals)");
    }

    @Test
    void resizeTenTakesScalesSecondElevenFourth() {
        Report ten = OpRulesTest.run(Ir.graph().opset("ai.onnx", 10).input("x", 1, 3, 4, 4)
                .floats("s", 1, 1, 2, 2).node("Resize", "r", l("x", "s"), l("y")));
        assertEquals("[1, 3, 8, 8]", shapeOf(ten, "r"));
        Report eleven = OpRulesTest.run(Ir.graph().opset("ai.onnx", 11).input("x", 1, 3, 4, 4)
                .floats("roi").floats("s").ints("sizes", 1, 3, 5, 6)
                .node("Resize", "r", l("x", "roi", "s", "sizes"), l("y")));
        assertEquals("[1, 3, 5, 6]", shapeOf(eleven, "r"));
    }

    @Test
    void splitAsAttributeBefore13InputAfter() {
        Report two = OpRulesTest.run(Ir.graph().opset("ai.onnx", 2).input("x", 2, 10)
                .node("Split", "s", l("x"), l("a", "b"), "axis", 1, "split", new long[] {3, 7}));
        assertEquals("[2, 3]", shapeOf(two, "s"));
        assertEquals("[2, 7]", node(two, "s").outputs().get(1).shape().toString());
        Report thirteen = OpRulesTest.run(Ir.graph().opset("ai.onnx", 13).input("x", 2, 10).ints("split", 3, 7)
                .node("Split", "s", l("x", "split"), l("a", "b"), "axis", 1));
        assertEquals("[2, 7]", node(thirteen, "s").outputs().get(1).shape().toString());
        Report eighteen = OpRulesTest.run(Ir.graph().opset("ai.onnx", 18).input("x", 2, 10)
                .node("Split", "s", l("x"), l("a", "b", "c"), "axis", 1, "num_outputs", 3));
        assertEquals("[2, 2]", node(eighteen, "s").outputs().get(2).shape().toString());
    }

    @Test
    void squeezeAndUnsqueezeAxesAttributeBefore13() {
        Report one = OpRulesTest.run(Ir.graph().opset("ai.onnx", 11).input("x", 1, 3, 1, 5)
                .node("Squeeze", "s", l("x"), l("y"), "axes", new long[] {2})
                .node("Unsqueeze", "u", l("y"), l("z"), "axes", new long[] {0}));
        assertEquals("[1, 3, 5]", shapeOf(one, "s"));
        assertEquals("[1, 1, 3, 5]", shapeOf(one, "u"));
        Report thirteen = OpRulesTest.run(Ir.graph().opset("ai.onnx", 13).input("x", 1, 3, 1, 5)
                .ints("a2", 2).ints("a0", 0)
                .node("Squeeze", "s", l("x", "a2"), l("y")).node("Unsqueeze", "u", l("y", "a0"), l("z")));
        assertEquals("[1, 1, 3, 5]", shapeOf(thirteen, "u"));
    }

    @Test
    void reduceAxesAttributeUntilInputAt13Or18() {
        Report old = OpRulesTest.run(Ir.graph().opset("ai.onnx", 11).input("x", 2, 3, 4)
                .node("ReduceSum", "s", l("x"), l("y"), "axes", new long[] {1}, "keepdims", 0)
                .node("ReduceMean", "m", l("x"), l("z"), "axes", new long[] {2}));
        assertEquals("[2, 4]", shapeOf(old, "s"));
        assertEquals("[2, 3, 1]", shapeOf(old, "m"));
        Report sum13 = OpRulesTest.run(Ir.graph().opset("ai.onnx", 13).input("x", 2, 3, 4).ints("ax", 1)
                .node("ReduceSum", "s", l("x", "ax"), l("y"), "keepdims", 0)
                .node("ReduceMean", "m", l("x"), l("z"), "axes", new long[] {2}));
        assertEquals("[2, 4]", shapeOf(sum13, "s"));
        assertEquals("[2, 3, 1]", shapeOf(sum13, "m"));
        Report mean18 = OpRulesTest.run(Ir.graph().opset("ai.onnx", 18).input("x", 2, 3, 4).ints("ax", 2)
                .node("ReduceMean", "m", l("x", "ax"), l("z")).node("ReduceMax", "all", l("x"), l("w")));
        assertEquals("[2, 3, 1]", shapeOf(mean18, "m"));
        assertEquals("[1, 1, 1]", shapeOf(mean18, "all"), "no axes: every axis");
    }

    @Test
    void clipBoundsAsAttributesBefore11InputsAfter() {
        Report six = OpRulesTest.run(Ir.graph().opset("ai.onnx", 6).ints("v", -5, 3, 9)
                .node("Clip", "c", l("v"), l("y"), "min", 0.0, "max", 6.0).node("Cast", "k", l("y"), l("z"), "to", 7L)
                .node("ConstantOfShape", "shape", l("z"), l("o")));
        assertEquals("[0, 3, 6]", shapeOf(six, "shape"));
        Report eleven = OpRulesTest.run(Ir.graph().opset("ai.onnx", 11).ints("v", -5, 3, 9).scalar("lo", 1)
                .scalar("hi", 4).node("Clip", "c", l("v", "lo", "hi"), l("y"))
                .node("ConstantOfShape", "shape", l("y"), l("o")));
        assertEquals("[1, 3, 4]", shapeOf(eleven, "shape"));
    }

    @Test
    void padAsPaddingsPadsOrInput() {
        Report one = OpRulesTest.run(Ir.graph().opset("ai.onnx", 1).input("x", 1, 2, 4)
                .node("Pad", "p", l("x"), l("y"), "paddings", new long[] {0, 0, 1, 0, 0, 2}));
        assertEquals("[1, 2, 7]", shapeOf(one, "p"));
        Report two = OpRulesTest.run(Ir.graph().opset("ai.onnx", 2).input("x", 1, 2, 4)
                .node("Pad", "p", l("x"), l("y"), "pads", new long[] {0, 0, 1, 0, 0, 2}));
        assertEquals("[1, 2, 7]", shapeOf(two, "p"));
        Report eleven = OpRulesTest.run(Ir.graph().opset("ai.onnx", 11).input("x", 1, 2, 4).ints("pads", 0, 0, 1, 0, 0, 2)
                .node("Pad", "p", l("x", "pads"), l("y")));
        assertEquals("[1, 2, 7]", shapeOf(eleven, "p"));
    }

    @Test
    void sliceOneTakesAttributes() {
        Report one = OpRulesTest.run(Ir.graph().opset("ai.onnx", 1).input("x", 4, 10)
                .node("Slice", "s", l("x"), l("y"), "axes", new long[] {1}, "starts", new long[] {2}, "ends",
                        new long[] {-1}));
        assertEquals("[4, 7]", shapeOf(one, "s"));
        Report ten = OpRulesTest.run(Ir.graph().opset("ai.onnx", 10).input("x", 4, 10).ints("st", 2).ints("en", -1)
                .ints("ax", 1).node("Slice", "s", l("x", "st", "en", "ax"), l("y")));
        assertEquals("[4, 7]", shapeOf(ten, "s"));
    }

    @Test
    void batchNormSpatialZeroBefore9HasPerActivationStatistics() {
        Ir seven = Ir.graph().opset("ai.onnx", 7).input("x", 2, 3, 4, 4).weight("s", 3, 4, 4).weight("b", 3, 4, 4)
                .weight("m", 3, 4, 4).weight("v", 3, 4, 4)
                .node("BatchNormalization", "bn", l("x", "s", "b", "m", "v"), l("y"), "spatial", 0);
        Report r = OpRulesTest.run(seven);
        assertFalse(has(r, "weight-shape-mismatch"), r.findings().toString());
        assertEquals("[2, 3, 4, 4]", shapeOf(r, "bn"));
        Report nine = Ir.graph().opset("ai.onnx", 9).input("x", 2, 3, 4, 4).weight("s", 3, 4, 4).weight("b", 3)
                .weight("m", 3).weight("v", 3)
                .node("BatchNormalization", "bn", l("x", "s", "b", "m", "v"), l("y"), "spatial", 0).analyze();
        assertTrue(has(nine, "weight-shape-mismatch"), "opset 9 dropped spatial: scale must be [C]");
    }

    @Test
    void dropoutMaskTypeBefore10AndBoolAfter() {
        Report seven = OpRulesTest.run(Ir.graph().opset("ai.onnx", 7).input("x", 2, 3)
                .node("Dropout", "d", l("x"), l("y", "mask"), "ratio", 0.2));
        assertEquals(DType.FLOAT, node(seven, "d").outputs().get(1).dtype());
        Report twelve = OpRulesTest.run(Ir.graph().opset("ai.onnx", 12).input("x", 2, 3).floats("ratio", 0.2)
                .node("Dropout", "d", l("x", "ratio"), l("y", "mask")));
        assertEquals(DType.BOOL, node(twelve, "d").outputs().get(1).dtype());
        assertEquals("[2, 3]", shapeOf(twelve, "d"));
    }

    @Test
    void topKAsAttributeBefore10InputAfter() {
        Report one = OpRulesTest.run(Ir.graph().opset("ai.onnx", 1).input("x", 2, 10)
                .node("TopK", "t", l("x"), l("v", "i"), "k", 3));
        assertEquals("[2, 3]", shapeOf(one, "t"));
        Report ten = OpRulesTest.run(Ir.graph().opset("ai.onnx", 10).input("x", 2, 10).ints("k", 4)
                .node("TopK", "t", l("x", "k"), l("v", "i")));
        assertEquals("[2, 4]", shapeOf(ten, "t"));
    }

    @Test
    void binaryOpsBefore7BroadcastFromAnAxis() {
        Report six = OpRulesTest.run(Ir.graph().opset("ai.onnx", 6).input("x", 1, 8, 5, 5).weight("b", 8)
                .node("Add", "a", l("x", "b"), l("y"), "broadcast", 1, "axis", 1)
                .node("Mul", "m", l("y", "b"), l("z"), "broadcast", 1, "axis", 1));
        assertEquals("[1, 8, 5, 5]", shapeOf(six, "a"));
        assertEquals(Count.of(200), node(six, "m").otherFlops());
        Report seven = Ir.graph().opset("ai.onnx", 7).input("x", 1, 8, 5, 5).weight("b", 8)
                .node("Add", "a", l("x", "b"), l("y")).analyze();
        assertTrue(has(seven, "shape-contradiction"), "numpy broadcasting from opset 7: [8] against W=5");
    }

    @Test
    void concatOneDefaultsToAxisOne() {
        Report one = OpRulesTest.run(Ir.graph().opset("ai.onnx", 1).input("a", 2, 3).input("b", 2, 4)
                .node("Concat", "c", l("a", "b"), l("y")));
        assertEquals("[2, 7]", shapeOf(one, "c"));
        Report four = OpRulesTest.run(Ir.graph().opset("ai.onnx", 4).input("a", 2, 3).input("b", 5, 3)
                .node("Concat", "c", l("a", "b"), l("y"), "axis", 0));
        assertEquals("[7, 3]", shapeOf(four, "c"));
    }

    @Test
    void castOneNamesItsTargetType() {
        Report one = OpRulesTest.run(Ir.graph().opset("ai.onnx", 1).input("x", 2, 3)
                .node("Cast", "c", l("x"), l("y"), "to", "INT32"));
        assertEquals(DType.INT32, node(one, "c").outputs().get(0).dtype());
        Report six = OpRulesTest.run(Ir.graph().opset("ai.onnx", 6).input("x", 2, 3)
                .node("Cast", "c", l("x"), l("y"), "to", 6L));
        assertEquals(DType.INT32, node(six, "c").outputs().get(0).dtype());
    }

    @Test
    void resizeEighteenKeepsTheAspectRatio() {
        Ir base = Ir.graph().opset("ai.onnx", 18).input("x", 1, 3, 40, 60).floats("roi").floats("s").ints("sizes", 20, 20);
        Report smaller = OpRulesTest.run(base.node("Resize", "r", l("x", "roi", "s", "sizes"), l("y"),
                "axes", new long[] {2, 3}, "keep_aspect_ratio_policy", "not_larger"));
        assertEquals("[1, 3, 13, 20]", shapeOf(smaller, "r"), "scale min(20/40, 20/60) = 1/3");
        Report larger = OpRulesTest.run(Ir.graph().opset("ai.onnx", 18).input("x", 1, 3, 40, 60).floats("roi")
                .floats("s").ints("sizes", 20, 20).node("Resize", "r", l("x", "roi", "s", "sizes"), l("y"),
                        "axes", new long[] {2, 3}, "keep_aspect_ratio_policy", "not_smaller"));
        assertEquals("[1, 3, 20, 30]", shapeOf(larger, "r"), "scale max = 1/2");
    }
}
