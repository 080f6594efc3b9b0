package dev.modeltally.analysis;

import static dev.modeltally.testing.Ir.node;
import static dev.modeltally.testing.Ir.shapeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Shape;
import dev.modeltally.report.JsonReport;
import dev.modeltally.testing.Ir;
import dev.modeltally.ops.Count;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine: ordering, cycles, declared shapes, subgraphs, coverage and the lower-bound rule. */
class ShapeInferenceTest {

    private static List<String> l(String... s) {
        return List.of(s);
    }

    private static Set<String> codes(Report r) {
        return r.findings().stream().map(Finding::code).collect(Collectors.toSet());
    }

    @Test
    void nodesOutOfOrderAreSorted() {
        Report r = Ir.graph().input("x", 1, 4).weight("w", 4, 4)
                .node("Relu", "second", l("h"), l("y"))
                .node("MatMul", "first", l("x", "w"), l("h")).output("y").analyze();
        assertEquals("[1, 4]", shapeOf(r, "second"));
        assertEquals(16, r.compute().macs());
        assertTrue(r.compute().coverage().complete());
        assertEquals("first", r.compute().nodes().get(0).name());
    }

    @Test
    @Timeout(5)
    void aCycleIsAFindingNotAHang() {
        Report r = Ir.graph().input("x", 1, 4)
                .node("Add", "a", l("x", "b_out"), l("a_out"))
                .node("Relu", "b", l("a_out"), l("b_out"))
                .node("Relu", "after", l("b_out"), l("y")).output("y").analyze();
        assertTrue(codes(r).contains("graph-cycle"), r.findings().toString());
        Compute c = r.compute();
        assertEquals(3, c.coverage().nodes());
        assertEquals(0, c.coverage().shapesResolved());
        assertTrue(c.lowerBound());
    }

    @Test
    void opWithoutRuleIsCountedAndDeclaredShapesCarryOn() {
        Report r = Ir.graph().input("x", 1, 8).weight("w", 8, 8)
                .node("com.example", "Mystery", "m", l("x"), l("h"))
                .valueInfo("h", Ir.shape(1, 8))
                .node("MatMul", "mm", l("h", "w"), l("y")).output("y").analyze();
        Compute c = r.compute();
        assertEquals(Map.of("com.example:Mystery", 1), c.coverage().opsWithoutRule());
        assertEquals(64, c.macs());
        assertTrue(c.lowerBound(), "an op without a rule makes the totals lower bounds");
        assertEquals(2, c.coverage().shapesResolved());
        assertEquals(1, c.coverage().costUnknown());
        assertFalse(node(r, "m").hasRule());
        var json = JsonReport.toJson(r).get("compute");
        assertTrue(json.get("lower_bound").asBoolean());
        assertTrue(json.get("nodes").get(0).get("macs").isNull(), "unknown is null, never 0");
        assertEquals(1, json.get("coverage").get("ops_without_rule").get("com.example:Mystery").asInt());
    }

    @Test
    void undefinedInputIsReported() {
        Report r = Ir.graph().input("x", 1, 4).node("Add", "add", l("x", "ghost"), l("y")).analyze();
        assertTrue(codes(r).contains("undefined-input"));
    }

    @Test
    void inputShapeOverridesAndUnmatchedNames() {
        Ir ir = Ir.graph().input("x", 1, 3, 32, 32).weight("w", 8, 3, 3, 3)
                .node("Conv", "c", l("x", "w"), l("y")).output("y", Ir.shape(1, 8, 30, 30));
        Report r = ir.analyze(new AnalysisOptions(Map.of("x", Shape.of(2, 3, 64, 64)), 0));
        assertEquals("[2, 8, 62, 62]", shapeOf(r, "c"));
        assertFalse(codes(r).contains("declared-shape-mismatch"), "the file's fixed dims are stale, not wrong");
        Report bad = ir.analyze(new AnalysisOptions(Map.of("nope", Shape.of(1)), 0));
        assertTrue(codes(bad).contains("input-shape-unmatched"));
    }

    @Test
    void batchOnAFixedModelIsSaidToBeUnused() {
        Report r = Ir.graph().input("x", 1, 4).node("Relu", "relu", l("x"), l("y")).output("y")
                .analyze(new AnalysisOptions(Map.of(), 8));
        assertEquals("[1, 4]", shapeOf(r, "relu"));
        assertTrue(r.compute().notes().get(0).startsWith("--batch 8 not used"), r.compute().notes().toString());
    }

    @Test
    void declaredShapeThatContradictsTheRulesIsReported() {
        Report r = Ir.graph().input("x", 1, 3, 32, 32).weight("w", 8, 3, 3, 3)
                .node("Conv", "c", l("x", "w"), l("y")).output("y", Ir.shape(1, 8, 32, 32)).analyze();
        assertTrue(codes(r).contains("declared-shape-mismatch"));
    }

    @Test
    void symbolicBatchSharedByInputsIsBoundOnce() {
        Report r = Ir.graph().input("a", "n", 4).input("b", "n", 4).node("Add", "add", l("a", "b"), l("y"))
                .output("y").analyze(new AnalysisOptions(Map.of(), 3));
        assertEquals("[3, 4]", shapeOf(r, "add"));
        assertTrue(r.compute().assumed().isEmpty());
        assertEquals("[3, 4]", r.compute().inputs().get(1).shape().toString());
    }

    private static Graph body(String name, String in, String out, String w) {
        return Ir.graph().named(name).node("MatMul", name + "_mm", l(in, w), l(out)).output(out).build();
    }

    @Test
    void ifWithUnknownConditionGivesTheRangeOverItsBranches() {
        // issue 16: an undecided If is no longer "at least 0": each branch is costed, the totals count
        // the cheapest, compute.range spans them, and a note names the If and the input deciding it
        Graph then = body("then", "x", "t_out", "w");
        Graph other = Ir.graph().named("else").node("MatMul", "e1", l("x", "w"), l("e_mid"))
                .node("MatMul", "e2", l("e_mid", "w"), l("e_out")).output("e_out").build();
        Report r = Ir.graph().input("x", 1, 4).input("cond", DType.BOOL, Shape.scalar()).weight("w", 4, 4)
                .node("If", "if", l("cond"), l("y"), "then_branch", then, "else_branch", other).output("y")
                .analyze();
        Compute c = r.compute();
        assertEquals(16, c.macs());
        assertEquals(16, c.range().macsMin());
        assertEquals(Count.of(32), c.range().macsMax());
        assertTrue(c.lowerBound());
        assertEquals(0, c.coverage().costUnknown());
        assertEquals(Count.of(1), node(r, "then_mm").runs());
        assertTrue(c.notes().stream().anyMatch(n -> n.contains("If 'if' is undecided") && n.contains("input 'cond'")),
                c.notes().toString());
        assertEquals("[1, 4]", shapeOf(r, "if"), "both branches agree on the shape");
    }

    @Test
    void undecidedIfInsideTheUntakenBranchMakesNoRange() {
        // Silero VAD (spox) at sr=16000: the 8 kHz branch does not run, so its inner Ifs decide nothing
        Graph innerThen = body("in_then", "x", "it_out", "w");
        Graph innerElse = Ir.graph().named("in_else").node("Relu", "ie_relu", l("x"), l("ie_out")).output("ie_out")
                .build();
        Graph untaken = Ir.graph().named("else")
                .node("If", "inner_if", l("c2"), l("e_out"), "then_branch", innerThen, "else_branch", innerElse)
                .output("e_out").build();
        Graph taken = body("then", "x", "t_out", "w");
        Report r = Ir.graph().input("x", 1, 4).input("c2", DType.BOOL, Shape.scalar()).weight("w", 4, 4)
                .ints("one", 1).ints("zero", 1)
                .node("Equal", "eq", l("one", "zero"), l("cond"))
                .node("If", "if", l("cond"), l("y"), "then_branch", taken, "else_branch", untaken).output("y")
                .analyze();
        Compute c = r.compute();
        assertEquals(16, c.macs());
        assertNull(c.range(), "no range over an If that does not run");
        assertFalse(c.lowerBound(), c.notes().toString());
        assertTrue(c.notes().stream().noneMatch(n -> n.contains("undecided")), c.notes().toString());
    }

    @Test
    void ifWithKnownConditionCountsTheTakenBranchOnly() {
        Graph then = body("then", "x", "t_out", "w");
        Graph other = Ir.graph().named("else").node("Relu", "else_relu", l("x"), l("e_out")).output("e_out").build();
        Report r = Ir.graph().input("x", 1, 4).weight("w", 4, 4).ints("one", 1).ints("zero", 0)
                .node("Equal", "eq", l("one", "zero"), l("cond"))
                .node("If", "if", l("cond"), l("y"), "then_branch", then, "else_branch", other).output("y")
                .analyze();
        Compute c = r.compute();
        assertEquals(0, c.macs());
        assertFalse(c.lowerBound(), c.coverage().toString());
        assertEquals(1, c.coverage().notExecuted());
        assertEquals(Count.of(0), node(r, "then_mm").runs());
    }

    @Test
    void loopCountsItsBodyTimesTheTripCountOrSaysItCannot() {
        Graph loopBody = Ir.graph().named("body").input("i", DType.INT64, Shape.scalar())
                .input("c", DType.BOOL, Shape.scalar()).input("h", 1, 4)
                .node("Identity", "keep", l("c"), l("c_out"))
                .node("MatMul", "step", l("h", "w"), l("h_out"))
                .output("c_out").output("h_out").output("h_out").build();
        Ir known = Ir.graph().input("x", 1, 4).weight("w", 4, 4).scalar("n", 5)
                .node("Loop", "loop", l("n", "", "x"), l("h_final", "hs"), "body", loopBody).output("h_final");
        Report r = known.analyze();
        assertEquals(5 * 16, r.compute().macs());
        assertEquals("[5, 1, 4]", node(r, "loop").outputs().get(1).shape().toString());
        assertTrue(r.compute().coverage().complete());
        assertTrue(r.compute().assumed().isEmpty(), "the body passes its condition through: no early exit");

        Report unknown = Ir.graph().input("x", 1, 4).weight("w", 4, 4).input("n", DType.INT64, Shape.scalar())
                .node("Loop", "loop", l("n", "", "x"), l("h_final", "hs"), "body", loopBody).output("h_final")
                .analyze();
        assertEquals(0, unknown.compute().macs());
        assertTrue(unknown.compute().lowerBound());
        assertEquals(Count.UNKNOWN, node(unknown, "step").runs());
        assertEquals("[?, 1, 4]", node(unknown, "loop").outputs().get(1).shape().toString());
    }

    @Test
    void loopCarriedValueThatGrowsBecomesUnknownNotWrong() {
        Graph grow = Ir.graph().named("body").input("i", DType.INT64, Shape.scalar())
                .input("c", DType.BOOL, Shape.scalar()).input("acc", 1, null)
                .node("Concat", "append", l("acc", "acc"), l("acc_out"), "axis", 1)
                .node("Identity", "keep", l("c"), l("c_out"))
                .output("c_out").output("acc_out").build();
        Report r = Ir.graph().input("x", 1, 4).scalar("n", 3)
                .node("Loop", "loop", l("n", "", "x"), l("acc_final"), "body", grow).output("acc_final").analyze();
        assertEquals("[1, ?]", shapeOf(r, "loop"));
        assertFalse(codes(r).contains("shape-rule-error"));
    }

    @Test
    void weightsOnlyModelsHaveNoCompute() {
        Model m = Ir.graph().weight("w", 10, 10).model();
        Model weightsOnly = new Model("keras-weights-h5", "", "", Map.of(), m.graph(), Map.of(), List.of(), false);
        Report r = Analyzer.analyze(weightsOnly, "w.h5", AnalysisOptions.DEFAULT);
        assertNull(r.compute());
        assertEquals(100, r.parameters().total());
        assertTrue(JsonReport.toJson(r).get("compute_unavailable").asText().contains("no graph"));
    }

    /**
     * Each level's body holds the next level's Loop, started from the outer-scope {@code x} [1, 4]
     * and growing it: every evaluation of a body evaluates the inner body twice — 2^depth in all.
     */
    private static Graph nested(int depth) {
        Ir body = Ir.graph().named("level" + depth).input("i", DType.INT64, Shape.scalar())
                .input("c", DType.BOOL, Shape.scalar()).input("acc", 1, null)
                .node("Identity", "keep" + depth, l("c"), l("c_out"))
                .node("Concat", "grow" + depth, l("acc", "acc"), l("g"), "axis", 1);
        if (depth > 0) {
            body.scalar("n" + depth, 2).node("Loop", "loop" + depth, l("n" + depth, "", "x"), l("inner"),
                    "body", nested(depth - 1)).node("Identity", "pass" + depth, l("g"), l("acc_out"));
        } else {
            body.node("Identity", "leaf", l("g"), l("acc_out"));
        }
        return body.output("c_out").output("acc_out").build();
    }

    @Test
    @Timeout(20)
    void deeplyNestedLoopsStayWithinTheEvaluationBudget() {
        Report r = Ir.graph().input("x", 1, 4).scalar("n", 2)
                .node("Loop", "top", l("n", "", "x"), l("y"), "body", nested(40)).output("y").analyze();
        assertTrue(codes(r).contains("evaluation-budget"), r.findings().toString());
        assertTrue(r.compute().lowerBound());
    }
}
