package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Quantisation: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear and the com.microsoft
 * QLinear elementwise ops. (QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger count their
 * integer multiply-accumulates as MACs in ConvRules / MatMulRules.) Other FLOPs per element:
 * 2 to quantize or dequantize (scale, shift), 4 for DynamicQuantizeLinear (min/max scan, scale,
 * round).
 */
final class QuantRules {

    private QuantRules() {
    }

    static OpResult quantize(OpContext c) {
        Tensor x = c.input(0);
        DType to = Args.dtypeAttr(c, "output_dtype", DType.UNDEFINED);
        if (to == DType.UNDEFINED) {
            to = c.present(2) ? c.input(2).dtype() : DType.UINT8;
        }
        return OpResult.builder().output(Tensor.of(to, x.shape())).macs(0).other(x.elements().times(2)).build();
    }

    static OpResult dequantize(OpContext c) {
        Tensor x = c.input(0);
        DType to = c.present(1) && c.input(1).dtype() != DType.UNDEFINED ? c.input(1).dtype() : DType.FLOAT;
        return OpResult.builder().output(Tensor.of(to, x.shape())).macs(0).other(x.elements().times(2)).build();
    }

    static OpResult dynamicQuantize(OpContext c) {
        Tensor x = c.input(0);
        return OpResult.builder().output(Tensor.of(DType.UINT8, x.shape()))
                .output(Tensor.of(DType.FLOAT, Shape.scalar())).output(Tensor.of(DType.UINT8, Shape.scalar()))
                .macs(0).other(x.elements().times(4)).build();
    }

    /** QLinearAdd, QLinearMul: A (0) and B (3), broadcasting. */
    static OpResult binary(OpContext c) {
        Tensor a = c.input(0);
        List<String> problems = new ArrayList<>();
        Shape out = Shapes.broadcast(a.shape(), c.input(3).shape(), problems);
        return OpResult.builder().output(Tensor.of(a.dtype(), out)).problems(problems).macs(0)
                .other(Shapes.elements(out)).build();
    }

    /** QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax: the input's shape. */
    static OpResult unary(OpContext c) {
        Tensor x = c.input(0);
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).macs(0).other(x.elements()).build();
    }

    /** QLinearConcat: Y_scale, Y_zero_point, then (X, scale, zero_point) per input. */
    static OpResult concat(OpContext c) {
        List<Tensor> ins = new ArrayList<>();
        for (int i = 2; i < c.inputCount(); i += 3) {
            ins.add(c.input(i));
        }
        OpContext view = new OpContext() {
            @Override
            public dev.modeltally.ir.Node node() {
                return c.node();
            }

            @Override
            public int inputCount() {
                return ins.size();
            }

            @Override
            public boolean present(int i) {
                return i < ins.size();
            }

            @Override
            public Tensor input(int i) {
                return i < ins.size() ? ins.get(i) : Tensor.UNKNOWN;
            }

            @Override
            public dev.modeltally.ir.Weight storedWeight(int i) {
                return null;
            }

            @Override
            public long opset() {
                return c.opset();
            }

            @Override
            public List<Tensor> runSubgraph(dev.modeltally.ir.Graph g, List<Tensor> inputs, Count runs) {
                return c.runSubgraph(g, inputs, runs);
            }
        };
        return IndexRules.concat(view);
    }
}
