package dev.modeltally.ops;

import static dev.modeltally.testing.Ir.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Expr;
import dev.modeltally.testing.Ir;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shape and value rules whose gaps the held-out exports (timm DLA / HRNet, transformers ViT) showed. */
class HeldoutShapeRulesTest {

    private static List<String> l(String... s) {
        return List.of(s);
    }

    /**
     * DLA's level: a stride-2 conv ({@code floor((H + 1)/2)}) added to a stride-2 max pool of the
     * same map ({@code floor(H/2)}). The sum broadcasts to the conv's size (the larger), times
     * {@code min(1, pooled)} for the tiny inputs where the pooled map is empty; four levels on, the
     * size is still short (it doubled per level when written as max(...) of both) and exact at every
     * point, the empty ones (H = 1, 2, 3) included.
     */
    @Test
    void pooledShortcutBesideAStridedConvKeepsTheSizeShort() {
        SymbolicShapesTest.Graph g = d -> {
            Ir ir = Ir.graph().input("x0", 1, 2, d.apply("H"), 8).weight("w", 2, 2, 3, 3);
            for (int i = 0; i < 4; i++) {
                ir = ir.node("Conv", "conv" + i, l("x" + i, "w"), l("c" + i), "kernel_shape", new long[] {3, 3},
                                "strides", new long[] {2, 1}, "pads", new long[] {1, 1, 1, 1})
                        .node("MaxPool", "pool" + i, l("x" + i), l("p" + i), "kernel_shape", new long[] {2, 1},
                                "strides", new long[] {2, 1})
                        .node("Add", "add" + i, l("c" + i, "p" + i), l("x" + (i + 1)));
            }
            return ir;
        };
        List<Map<String, Long>> points = new ArrayList<>();
        for (long h : new long[] {1, 2, 3, 16, 32, 48, 64, 160}) {
            points.add(Map.of("H", h));
        }
        Report r = SymbolicShapesTest.check(g, points, "add0", "add1", "add2", "add3");
        assertEquals("[1, 2, floor((H + 1)/2)*min(1, floor(H/2)), 8]", node(r, "add0").outputs().get(0).shape().toString());
        String last = node(r, "add3").outputs().get(0).shape().toString();
        assertFalse(last.contains("max("), last);
        assertTrue(last.length() < 200, last);
    }

    @Test
    void sizesOrderedThroughFloorsMaxesAndEmptyFactors() {
        Expr h = Expr.symbol("H");
        Expr conv = Expr.floorDiv(h.plus(1), 2);
        Expr pool = Expr.floorDiv(h, 2);
        assertTrue(SizeOrder.atLeast(conv, pool));
        assertFalse(SizeOrder.atLeast(pool, conv));
        assertTrue(SizeOrder.atLeast(Expr.floorDiv(conv.plus(1), 2), Expr.floorDiv(pool, 2)), "nested floors");
        Expr up = Expr.floorDiv(h.plus(3), 4).times(2); // an upsampled map: not ordered against the conv
        assertFalse(SizeOrder.atLeast(up, conv));
        assertFalse(SizeOrder.atLeast(conv, up));
        assertTrue(SizeOrder.atLeast(Expr.max(up, conv), conv));
        Expr m = Expr.min(Expr.ONE, pool);
        assertEquals(m, SizeOrder.indicator(conv.times(m)));
        assertTrue(SizeOrder.atLeast(conv.times(m), pool.times(m)));
        assertEquals(null, SizeOrder.indicator(conv.plus(m)), "not a factor of every term");
    }

    /** ViT's interpolated positions: int(num_positions ** 0.5) is the grid side. */
    @Test
    void powPropagatesValues() {
        assertEquals(new SymInt.Real(4.0), Values.pow(new SymInt.Real(16.0), new SymInt.Real(0.5)));
        assertEquals(SymInt.of(4), Values.cast(Values.pow(new SymInt.Real(16.0), new SymInt.Real(0.5)),
                dev.modeltally.ir.DType.INT64));
        assertEquals(SymInt.of(9), Values.pow(SymInt.of(3), SymInt.of(2)));
        assertEquals(SymInt.of(4), Values.pow(SymInt.of(16), new SymInt.Real(0.5)), "integer base: truncated");
        assertEquals(SymInt.UNKNOWN, Values.pow(SymInt.of(2), SymInt.of(-1)));
        assertEquals(SymInt.UNKNOWN, Values.pow(SymInt.of(3), SymInt.of(64)), "overflow");
        Expr n = Expr.symbol("n");
        assertEquals(SymInt.of(n.times(n)), Values.pow(SymInt.of(n), SymInt.of(2)));
    }

    /**
     * VoVNet's MaxPool k3 s2 ceil_mode (no pads) on a map of 2: the one window starts inside and
     * hangs over the end, onnxruntime gives 1 (and 0 for a map of 1); the symbolic size
     * {@code floor((H - 1)/2) + 1} says the same at every size.
     */
    @Test
    void ceilModePoolWhoseWindowHangsOverTheEnd() {
        assertEquals(dev.modeltally.ir.Dim.of(1), ConvMath.outSize(dev.modeltally.ir.Dim.of(2), 3, 2, 1, 0, 0, "NOTSET", true));
        assertEquals(dev.modeltally.ir.Dim.of(0), ConvMath.outSize(dev.modeltally.ir.Dim.of(1), 3, 2, 1, 0, 0, "NOTSET", true));
        assertEquals(dev.modeltally.ir.Dim.of(0), ConvMath.outSize(dev.modeltally.ir.Dim.of(2), 3, 2, 1, 0, 0, "NOTSET", false));
        SymbolicShapesTest.Graph g = d -> Ir.graph().input("x", 1, 2, d.apply("H"), 8)
                .node("MaxPool", "pool", l("x"), l("y"), "kernel_shape", new long[] {3, 1}, "strides", new long[] {2, 1},
                        "ceil_mode", 1L);
        List<Map<String, Long>> points = new ArrayList<>();
        for (long h : new long[] {2, 3, 4, 9, 64}) {
            points.add(Map.of("H", h));
        }
        SymbolicShapesTest.check(g, points, "pool");
    }

    /**
     * Twins' window attention pads the map to a multiple of 7 ({@code 7*H - 7*floor(6*H/7)} as the
     * export computes it) and divides by 7: the quotient is exact whatever the sign of the terms.
     */
    @Test
    void integerDivisionThatIsExactNeedsNoSign() {
        Expr h = Expr.symbol("H");
        Expr padded = h.times(7).minus(Expr.floorDiv(h.times(6), 7).times(7));
        assertEquals(SymInt.of(h.minus(Expr.floorDiv(h.times(6), 7))), Values.div(SymInt.of(padded), SymInt.of(7)));
        assertEquals(SymInt.UNKNOWN, Values.div(SymInt.of(h.minus(Expr.ONE)), SymInt.of(2)), "-1/2 truncates to 0");
    }
}
