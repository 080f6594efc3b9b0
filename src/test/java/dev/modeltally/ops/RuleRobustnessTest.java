package dev.modeltally.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.analysis.Report;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Shape;
import dev.modeltally.testing.Ir;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every registered rule, fed inputs of unknown rank, scalars, empty and odd shapes and hostile
 * attributes: it may conclude little, but it must never throw (that would surface as a
 * shape-rule-error finding) and never emit a negative dimension.
 */
class RuleRobustnessTest {

    private static final Object[][] ATTRS = {
        {},
        {"axis", 100, "axes", new long[] {7, -9}, "perm", new long[] {3, 3}, "kernel_shape", new long[] {-1, 2},
            "strides", new long[] {0, -2}, "pads", new long[] {-5}, "group", 0, "hidden_size", -3,
            "num_heads", 0, "blocksize", 0, "split", new long[] {-1}, "equation", "ab,bc->ac,x", "to", 999},
        {"axis", -1, "kernel_shape", new long[] {3}, "strides", new long[] {1}, "dilations", new long[] {0},
            "auto_pad", "SAME_LOWER", "ceil_mode", 1, "equation", "...,...->...", "num_heads", 3,
            "direction", "bidirectional", "layout", 1, "output_shape", new long[] {-4}, "scales", List.of(0.5)},
    };

    private static final Shape[] SHAPES = {
        Shape.unknownRank(), Shape.scalar(), Shape.of(0), Shape.of(1), Shape.of(2, 3), Shape.of(1, 3, 5, 5),
        Ir.shape(null, 4, "s"), Shape.of(2, 0, 7), Shape.of(1, 2, 3, 4, 5, 6),
    };

    @TestFactory
    Stream<DynamicTest> everyRuleSurvivesOddInputs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String key : OpRegistry.all().keySet()) {
            tests.add(DynamicTest.dynamicTest(key, () -> exercise(key)));
        }
        return tests.stream();
    }

    private static void exercise(String key) {
        String domain = key.contains(":") ? key.substring(0, key.indexOf(':')) : "";
        String op = key.contains(":") ? key.substring(key.indexOf(':') + 1) : key;
        Random random = new Random(key.hashCode());
        for (Object[] attrs : ATTRS) {
            for (int trial = 0; trial < 12; trial++) {
                int n = random.nextInt(10);
                Ir ir = Ir.graph();
                List<String> ins = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String name = "in" + i;
                    if (random.nextInt(8) == 0) {
                        ins.add("");
                        continue;
                    }
                    if (random.nextInt(4) == 0) {
                        long[] vals = {random.nextInt(7) - 2, -1, random.nextInt(5)};
                        ir.ints(name, java.util.Arrays.copyOf(vals, 1 + random.nextInt(3)));
                    } else {
                        DType t = random.nextInt(5) == 0 ? DType.INT64 : DType.FLOAT;
                        ir.input(name, t, SHAPES[random.nextInt(SHAPES.length)]);
                    }
                    ins.add(name);
                }
                int outs = 1 + random.nextInt(4);
                List<String> outNames = new ArrayList<>();
                for (int i = 0; i < outs; i++) {
                    outNames.add("out" + i);
                }
                ir.node(domain, op, "n", ins, outNames, attrs);
                Report r = ir.analyze();
                assertNotNull(r.compute(), key + ": " + r.findings());
                for (Finding f : r.findings()) {
                    assertFalse(f.code().equals("shape-rule-error") || f.code().equals("compute-failed"),
                            key + " " + ins + ": " + f.message());
                }
                r.compute().nodes().forEach(nc -> nc.outputs().forEach(v -> {
                    if (v.shape().rankKnown()) {
                        v.shape().dims().forEach(d -> assertTrue(d.valueOr(0) >= 0, key + ": " + v.shape()));
                    }
                }));
            }
        }
    }
}
