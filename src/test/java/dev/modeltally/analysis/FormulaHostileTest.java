package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Ir;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A graph built to blow its symbolic sizes up: the analysis ends with unknowns, not a hang or an OOM. */
class FormulaHostileTest {

    @Test
    void squaringASumOfSymbolsOverAndOverStaysBounded() {
        Ir g = Ir.graph().input("x", "a", "b", "c", "d", "e").ints("axes", 0)
                .node("Shape", "shape", List.of("x"), List.of("s"))
                .node("ReduceSum", "sum", List.of("s", "axes"), List.of("p0"), "keepdims", 1);
        String prev = "p0";
        for (int i = 1; i <= 40; i++) {
            g.node("Mul", "sq" + i, List.of(prev, prev), List.of("q" + i))
                    .node("Add", "add" + i, List.of("q" + i, prev), List.of("p" + i));
            prev = "p" + i;
        }
        g.node("ConstantOfShape", "fill", List.of(prev), List.of("y")).output("y");
        Report r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> g.analyze());
        assertNotNull(r.compute());
        Formula f = r.compute().formula();
        assertNotNull(f, "the inputs are symbolic");
        assertTrue(r.findings().stream().noneMatch(x -> x.code().equals("formula-failed")), r.findings().toString());
    }
}
