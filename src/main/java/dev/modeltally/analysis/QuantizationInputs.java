package dev.modeltally.analysis;

import dev.modeltally.ir.Node;
import java.util.List;
import java.util.Map;

/**
 * The inputs of the ONNX and ONNX Runtime quantized ops that hold scales and zero points, by their
 * schemas (onnx QuantizeLinear/DequantizeLinear/QLinearConv/QLinearMatMul/ConvInteger/MatMulInteger;
 * com.microsoft QGemm, QLinear* elementwise and pooling, MatMulIntegerToFloat, DynamicQuantizeMatMul,
 * QAttention, MatMulNBits).
 */
final class QuantizationInputs {

    private static final Map<String, List<Integer>> BY_OP = Map.ofEntries(
            Map.entry("QuantizeLinear", List.of(1, 2)),
            Map.entry("DequantizeLinear", List.of(1, 2)),
            Map.entry("QLinearConv", List.of(1, 2, 4, 5, 6, 7)),
            Map.entry("QLinearMatMul", List.of(1, 2, 4, 5, 6, 7)),
            Map.entry("ConvInteger", List.of(2, 3)),
            Map.entry("MatMulInteger", List.of(2, 3)),
            Map.entry("QGemm", List.of(1, 2, 4, 5, 7, 8)),
            Map.entry("MatMulIntegerToFloat", List.of(2, 3, 4, 5)),
            Map.entry("DynamicQuantizeMatMul", List.of(2, 3)),
            Map.entry("QAttention", List.of(3, 4, 6, 7)),
            Map.entry("MatMulNBits", List.of(2, 3)),
            // binary: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp
            Map.entry("QLinearAdd", List.of(1, 2, 4, 5, 6, 7)),
            Map.entry("QLinearMul", List.of(1, 2, 4, 5, 6, 7)),
            // unary and pooling: X, X_scale, X_zp, Y_scale, Y_zp
            Map.entry("QLinearSigmoid", List.of(1, 2, 3, 4)),
            Map.entry("QLinearLeakyRelu", List.of(1, 2, 3, 4)),
            Map.entry("QLinearSoftmax", List.of(1, 2, 3, 4)),
            Map.entry("QLinearAveragePool", List.of(1, 2, 3, 4)),
            Map.entry("QLinearGlobalAveragePool", List.of(1, 2, 3, 4)),
            Map.entry("QLinearReduceMean", List.of(1, 2, 3, 4)));

    private QuantizationInputs() {
    }

    /** The scale and zero-point input positions of {@code n}, empty for other ops. */
    static List<Integer> of(Node n) {
        if (!n.isDefaultDomain() && !n.domain().equals("com.microsoft")) {
            return List.of();
        }
        if (n.opType().equals("QLinearConcat")) {
            // Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per input
            List<Integer> out = new java.util.ArrayList<>(List.of(0, 1));
            for (int i = 3; i < n.inputs().size(); i += 3) {
                out.add(i);
                out.add(i + 1);
            }
            return out;
        }
        return BY_OP.getOrDefault(n.opType(), List.of());
    }
}
