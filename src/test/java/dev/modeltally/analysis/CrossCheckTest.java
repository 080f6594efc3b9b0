package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Severity;
import dev.modeltally.testing.Ir;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossCheckTest {

    private static List<String> l(String... s) {
        return List.of(s);
    }

    private static List<Finding> withCode(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    @Test
    void convWeightThatDoesNotFitItsInput() {
        Report r = Ir.graph().input("x", 1, 3, 8, 8).weight("w", 4, 2, 3, 3).weight("b", 5)
                .node("Conv", "conv", l("x", "w", "b"), l("y")).analyze();
        List<Finding> f = withCode(r, "weight-shape-mismatch");
        assertEquals(2, f.size(), f.toString());
        assertEquals(Severity.ERROR, f.get(0).severity());
        assertEquals("conv", f.get(0).where());
        assertTrue(f.get(0).message().contains("[4, 2, 3, 3]") && f.get(0).message().contains("[4, 3, 3, 3]"),
                f.get(0).message());
    }

    @Test
    void gemmAndRecurrentWeights() {
        Report r = Ir.graph().input("a", 1, 20).weight("b", 10, 5)
                .node("Gemm", "fc", l("a", "b"), l("y"))
                .input("x", 7, 1, 16).weight("w", 1, 128, 16).weight("rr", 1, 128, 31)
                .node("LSTM", "lstm", l("x", "w", "rr"), l("h"), "hidden_size", 32).analyze();
        List<Finding> f = withCode(r, "weight-shape-mismatch");
        assertEquals(2, f.size(), f.toString());
        assertTrue(f.get(0).message().contains("Gemm 'fc'") || f.get(1).message().contains("Gemm 'fc'"));
    }

    @Test
    void weightsMadeAtRunTime() {
        Report r = Ir.graph().input("x", 1, 3, 8, 8).ints("wshape", 4, 3, 3, 3).ints("bshape", 4)
                .weight("seed", 1).ints("target", 16, 16).input("v", 1, 16)
                .node("ConstantOfShape", "make_w", l("wshape"), l("w"))
                .node("Identity", "alias", l("w"), l("w2"))
                .node("Conv", "conv", l("x", "w2"), l("y"))
                .node("Expand", "make_m", l("seed", "target"), l("m"))
                .node("Gemm", "fc", l("v", "m"), l("z")).analyze();
        List<Finding> f = withCode(r, "synthesized-weight");
        assertEquals(1, f.size(), "one finding however many weights: " + f);
        String m = f.get(0).message();
        assertTrue(m.contains("2 weight inputs") && m.contains("364 elements") && m.contains("ConstantOfShape")
                && m.contains("Expand") && m.contains("conv weight 'w'") && m.contains("fc weight 'm'"), m);
        assertEquals("conv", f.get(0).where());
        assertEquals(364, r.parameters().synthesized().elements());
        assertEquals(2, r.parameters().synthesized().tensors());
        assertEquals(1, r.parameters().total(), "only the stored seed of the Expand");
    }

    @Test
    void weightSuppliedAsGraphInput() {
        Report r = Ir.graph().input("x", 1, 4).input("w", 4, 4).node("Gemm", "fc", l("x", "w"), l("y")).analyze();
        assertEquals(1, withCode(r, "weight-from-input").size());
    }

    @Test
    void batchNormFoldedByTorchExporter() {
        Ir folded = Ir.graph().producer("pytorch 2.13.0").input("x", 1, 3, 8, 8)
                .weight("onnx::Conv_10", 16, 3, 3, 3).weight("onnx::Conv_11", 16)
                .weight("onnx::Conv_12", 32, 16, 3, 3).weight("onnx::Conv_13", 32)
                .weight("fc.weight", 10, 32).weight("fc.bias", 10)
                .node("Conv", "c1", l("x", "onnx::Conv_10", "onnx::Conv_11"), l("h1"))
                .node("Identity", "dedupe", l("onnx::Conv_13"), l("b2"))
                .node("Conv", "c2", l("h1", "onnx::Conv_12", "b2"), l("h2"));
        List<Finding> f = withCode(folded.analyze(), "batchnorm-folded");
        assertEquals(1, f.size());
        assertTrue(f.get(0).message().contains("2 of 2 Conv") && f.get(0).message().contains("48 more parameters")
                && f.get(0).message().contains("96 running-statistics"), f.get(0).message());

        Report other = Ir.graph().producer("tf2onnx").input("x", 1, 3, 8, 8)
                .weight("onnx::Conv_10", 16, 3, 3, 3).weight("onnx::Conv_11", 16).weight("fc.weight", 10, 32)
                .node("Conv", "c1", l("x", "onnx::Conv_10", "onnx::Conv_11"), l("h1")).analyze();
        assertTrue(withCode(other, "batchnorm-folded").isEmpty(), "only torch.onnx names fused tensors so");

        Report withBn = Ir.graph().producer("pytorch 2.13.0").input("x", 1, 3, 8, 8)
                .weight("onnx::Conv_10", 16, 3, 3, 3).weight("onnx::Conv_11", 16).weight("fc.weight", 10, 32)
                .weight("g", 16).weight("be", 16).weight("mu", 16).weight("var", 16)
                .node("Conv", "c1", l("x", "onnx::Conv_10", "onnx::Conv_11"), l("h1"))
                .node("BatchNormalization", "bn", l("h1", "g", "be", "mu", "var"), l("h2")).analyze();
        assertTrue(withCode(withBn, "batchnorm-folded").isEmpty());
    }

    @Test
    void consistentModelsHaveNoCrossCheckFindings() {
        Report r = Ir.graph().input("x", 1, 3, 8, 8).weight("w", 4, 3, 3, 3).weight("b", 4)
                .weight("g", 4).weight("be", 4).weight("mu", 4).weight("var", 4)
                .node("Conv", "conv", l("x", "w", "b"), l("y"))
                .node("BatchNormalization", "bn", l("y", "g", "be", "mu", "var"), l("z")).analyze();
        assertFalse(r.findings().stream().anyMatch(f -> f.severity() != Severity.INFO), r.findings().toString());
        assertEquals(DType.FLOAT, r.compute().nodes().get(1).outputs().get(0).dtype());
    }
}
