package dev.modeltally.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Weight;
import dev.modeltally.testing.Ir;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameters wherever they are stored (docs/counting.md): Constant nodes, run-time weights, quantization. */
class WeightInputsTest {

    private static List<String> l(String... s) {
        return List.of(s);
    }

    private static List<Finding> withCode(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    @Test
    void constantNodesConsumedAsWeightsAreParameters() {
        Report r = Ir.graph().input("x", 1, 3, 8, 8)
                .constant("w", 4, 3, 3, 3).constant("b", 4)
                .constant("g", 4).constant("be", 4).constant("mu", 4).constant("var", 4)
                .constant("half").constant("fcw_t", 6, 4).constant("fcb", 6).ints("flat", 1, 4)
                .node("Conv", "conv", l("x", "w", "b"), l("c"))
                .node("BatchNormalization", "bn", l("c", "g", "be", "mu", "var"), l("n"))
                .node("Mul", "halve", l("n", "half"), l("m"))
                .node("GlobalAveragePool", "gap", l("m"), l("p"))
                .node("Reshape", "flatten", l("p", "flat"), l("f"))
                .node("Transpose", "t", l("fcw_t"), l("fcw"), "perm", new long[] {1, 0})
                .node("MatMul", "fc", l("f", "fcw"), l("h"))
                .node("Add", "fc_bias", l("h", "fcb"), l("y")).analyze();
        long expected = 108 + 4 + 16 + 24 + 6;
        assertEquals(expected, r.parameters().total());
        assertEquals(expected, r.parameters().bySource().constantNode());
        assertEquals(8, r.parameters().nonTrainable(), "BN mean and var from Constant nodes");
        assertEquals(1 + 2, r.constants().elements(), "the scalar multiplier and the Reshape shape stay constants");
        List<Finding> f = withCode(r, "constant-node-weights");
        assertEquals(1, f.size());
        assertTrue(f.get(0).message().contains(String.format("%,d parameters in 8 tensors", expected)), f.get(0).message());
    }

    @Test
    void lstmWeightsSlicedAndConcatenatedByGateAreParameters() {
        // spox (Silero VAD): a torch LSTMCell's weight_ih [4h, in] sliced per gate, the gates concatenated in
        // ONNX order and unsqueezed into the LSTM's W; the whole stored tensor counts once
        Report r = Ir.graph().input("x", 1, 1, 3).constant("wih", 8, 3).constant("whh", 8, 2)
                .ints("s0", 0).ints("s1", 2).ints("s2", 4).ints("s3", 6).ints("s4", 8).ints("ax", 0)
                .node("Slice", "si", l("wih", "s0", "s1", "ax"), l("wi"))
                .node("Slice", "sf", l("wih", "s1", "s2", "ax"), l("wf"))
                .node("Slice", "sg", l("wih", "s2", "s3", "ax"), l("wg"))
                .node("Slice", "so", l("wih", "s3", "s4", "ax"), l("wo"))
                .node("Concat", "gates", l("wi", "wo", "wf", "wg"), l("wc"), "axis", 0L)
                .node("Unsqueeze", "uw", l("wc", "ax"), l("w"))
                .node("Split", "split_r", l("whh"), l("r0", "r1"), "axis", 0L)
                .node("Concat", "rgates", l("r1", "r0"), l("rc"), "axis", 0L)
                .node("Unsqueeze", "ur", l("rc", "ax"), l("r"))
                .node("LSTM", "lstm", l("x", "w", "r"), l("y"), "hidden_size", 2L).opset("", 15).analyze();
        assertEquals(24 + 16, r.parameters().total());
        assertEquals(24 + 16, r.parameters().bySource().constantNode());
    }

    @Test
    void concatOfAConstantAndAnActivationIsNoWeight() {
        Report r = Ir.graph().input("x", 1, 4).constant("c", 1, 4)
                .node("Concat", "cat", l("x", "c"), l("xc"), "axis", 0L)
                .node("ReduceSum", "sum", l("xc"), l("s"))
                .node("Add", "add", l("x", "xc"), l("y")).analyze();
        assertEquals(0, r.parameters().total(), "the joined tensor is an activation");
    }

    @Test
    void activationTimesActivationAndShapeArithmeticStayConstants() {
        Report r = Ir.graph().input("x", 1, 4).input("z", 1, 4).constant("k", 2)
                .node("Add", "act_add", l("x", "z"), l("s"))
                .node("Shape", "shape", l("s"), l("sh"))
                .node("Cast", "to_float", l("sh"), l("shf"), "to", 1L)
                .node("Mul", "scale_shape", l("shf", "k"), l("y")).analyze();
        assertEquals(0, r.parameters().total(), "a constant multiplied into a shape is no weight");
        assertEquals(2, r.constants().elements());
    }

    @Test
    void weightMadeAtRunTimeThroughUnsqueezeAndGemmBias() {
        Report r = Ir.graph().input("x", 1, 6, 2, 2).ints("cshape", 6).ints("wshape", 10, 24).ints("bshape", 10)
                .node("ConstantOfShape", "make_scale", l("cshape"), l("s"))
                .node("Unsqueeze", "unsq", l("s"), l("s4"), "axes", new long[] {1, 2})
                .node("Mul", "affine", l("x", "s4"), l("xs"))
                .node("Flatten", "flat", l("xs"), l("f"))
                .node("ConstantOfShape", "make_w", l("wshape"), l("w"))
                .node("ConstantOfShape", "make_b", l("bshape"), l("b"))
                .node("Gemm", "fc", l("f", "w", "b"), l("y"), "transB", 1L).opset("", 11).analyze();
        assertEquals(6 + 240 + 10, r.parameters().synthesized().elements());
        assertEquals(3, r.parameters().synthesized().tensors());
        List<Finding> f = withCode(r, "synthesized-weight");
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).message().contains("3 weight inputs hold 256 elements"), f.get(0).message());
        assertTrue(f.get(0).message().contains("fc bias 'b'") && f.get(0).message().contains("affine operand 's'"),
                f.get(0).message());
    }

    @Test
    void zerosAddedByConstantOfShapeAreNoWeight() {
        // T5 (transformers) cross-attention: position_bias = torch.zeros(1, heads, q, k), added to the scores
        Report r = Ir.graph().input("x", 1, 4, 4, 12).ints("bshape", 1, 4, 4, 12).ints("sshape", 1, 4, 1, 1)
                .node("ConstantOfShape", "zeros", l("bshape"), l("bias"))
                .node("Add", "add_bias", l("x", "bias"), l("xb"))
                .node("ConstantOfShape", "make_scale", l("sshape"), l("s"), "value", new Weight("value", DType.FLOAT, Shape.of(1),
                        Weight.Role.CONSTANT_NODE, false, new Storage.Inline(0, 0), null, List.of(0.02)))
                .node("Mul", "affine", l("xb", "s"), l("y")).analyze();
        assertEquals(4, r.parameters().synthesized().elements(), "only the 0.02-filled scale: x + 0 is x");
        assertEquals(1, r.parameters().synthesized().tensors());
    }

    @Test
    void findingNamesAtMostTenWeights() {
        Ir g = Ir.graph().input("x", 1, 4);
        String prev = "x";
        for (int i = 0; i < 14; i++) {
            g.ints("shape" + i, 4, 4).node("ConstantOfShape", "make" + i, l("shape" + i), l("w" + i))
                    .node("MatMul", "mm" + i, l(prev, "w" + i), l("h" + i));
            prev = "h" + i;
        }
        List<Finding> f = withCode(g.analyze(), "synthesized-weight");
        assertEquals(1, f.size());
        assertTrue(f.get(0).message().contains("14 weight inputs hold 224 elements")
                && f.get(0).message().contains("mm9 weight") && !f.get(0).message().contains("mm10 weight")
                && f.get(0).message().contains("4 more"), f.get(0).message());
    }

    @Test
    void quantizationParametersApart() {
        Report r = Ir.graph().input("x", 1, 4).weight("xs").weight("xz").weight("w", 4, 3).weight("ws")
                .weight("wz").weight("ys").weight("yz")
                .node("QuantizeLinear", "q", l("x", "xs", "xz"), l("xq"))
                .node("QLinearMatMul", "mm", l("xq", "xs", "xz", "w", "ws", "wz", "ys", "yz"), l("yq"))
                .node("DequantizeLinear", "dq", l("yq", "ys", "yz"), l("y")).analyze();
        assertEquals(12 + 6, r.parameters().total(), "scales and zero points stay inside the total");
        assertEquals(6, r.parameters().quantization().elements());
        assertEquals(6, r.parameters().quantization().tensors());
    }

    @Test
    void scalarsAndEmptyTensorsAreNoSharedWeights() {
        Ir g = Ir.graph().input("x", 1, 4).weight("floor", 1).weight("empty", 1, 0).weight("w", 4, 4).weight("v", 4, 4);
        String prev = "x";
        for (int i = 0; i < 5; i++) {
            g.node("Max", "max" + i, l(prev, "floor"), l("m" + i))
                    .node("Concat", "cat" + i, l("m" + i, "empty"), l("c" + i), "axis", 1L);
            prev = "c" + i;
        }
        g.node("MatMul", "a", l(prev, "w"), l("h1")).node("MatMul", "b", l("h1", "w"), l("h2"))
                .node("MatMul", "c", l("h2", "v"), l("h3")).node("MatMul", "d", l("h3", "v"), l("y"));
        List<Finding> f = withCode(g.analyze(), "shared-weight");
        assertEquals(1, f.size(), "one finding for both shared weights: " + f);
        assertTrue(f.get(0).message().startsWith("2 tensors") && f.get(0).message().contains("'v' (2 nodes)"),
                f.get(0).message());
        assertFalse(f.get(0).message().contains("floor") || f.get(0).message().contains("empty"));
    }

    @Test
    void repeatedPerItemFindingsAreOneWithACount() {
        Report r = Ir.graph().input("x", 1, 4).weight("u1", 3).weight("u2", 3).weight("u3", 3)
                .node("Relu", "relu", l("x"), l("y")).analyze();
        List<Finding> f = withCode(r, "unused-initializer");
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).message().startsWith("3 times: initializer 'u1'") && f.get(0).message().contains("u2, u3"),
                f.get(0).message());
    }

    @Test
    void runningStatisticDedupedIntoATrainableTensorStaysTrainable() {
        // torch.onnx replaces a zero running mean by an Identity of the (zero) bias it equals
        Report r = Ir.graph().input("x", 1, 4, 2, 2).weight("g", 4).weight("be", 4)
                .node("Identity", "mean_alias", l("be"), l("mu"))
                .node("Identity", "var_alias", l("g"), l("var"))
                .node("BatchNormalization", "bn", l("x", "g", "be", "mu", "var"), l("y")).analyze();
        assertEquals(8, r.parameters().total());
        assertEquals(8, r.parameters().trainable());
    }

    @Test
    void neutralAffineOfAGroupNormDecompositionIsNoWeight() {
        // torch.onnx: GroupNorm(3 groups) = Reshape -> InstanceNormalization(ones, zeros) -> Reshape -> Mul/Add
        Report r = Ir.graph().input("x", 1, 3, 4).constantFloats("ones", 1, 1, 1).constantFloats("zeros", 0, 0, 0)
                .constantFloats("learned", 0.5, 1, 1)
                .node("InstanceNormalization", "in", l("x", "ones", "zeros"), l("y"))
                .node("InstanceNormalization", "in2", l("y", "learned", "zeros"), l("z")).analyze();
        assertEquals(3, r.parameters().total(), "only the scale that is not all ones");
        assertEquals(9, r.constants().elements() + r.parameters().total());
    }
}
