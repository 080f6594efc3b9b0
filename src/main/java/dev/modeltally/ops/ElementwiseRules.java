package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Elementwise ops with multidirectional broadcasting: activations, arithmetic, comparisons, logic,
 * Where, Cast. No MACs; other FLOPs: {@code perElement} per output element (0 for pure data movement
 * such as Cast and Identity). Small tensors' values are propagated (shape arithmetic).
 */
final class ElementwiseRules {

    private ElementwiseRules() {
    }

    static OpRule unary(int perElement, UnaryOperator<SymInt> valueOp) {
        return c -> {
            Tensor x = c.input(0);
            Tensor y = Tensor.of(x.dtype(), x.shape());
            if (valueOp != null) {
                y = y.withValues(Values.unary(x, valueOp));
            }
            return OpResult.builder().output(y).macs(0).other(x.elements().times(perElement)).build();
        };
    }

    /** A unary test (IsNaN, IsInf): a BOOL tensor of the input's shape. */
    static OpRule predicate(int perElement) {
        return c -> {
            Tensor x = c.input(0);
            return OpResult.builder().output(Tensor.of(DType.BOOL, x.shape())).macs(0)
                    .other(x.elements().times(perElement)).build();
        };
    }

    /** Binary (or variadic: Sum, Max, Min, Mean) broadcasting op; {@code outType} null keeps input 0's. */
    static OpRule nary(int perElement, BinaryOperator<SymInt> valueOp, DType outType) {
        return c -> {
            List<Tensor> ins = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            for (int i = 0; i < c.inputCount(); i++) {
                if (c.present(i)) {
                    ins.add(c.input(i));
                    shapes.add(c.input(i).shape());
                }
            }
            if (ins.isEmpty()) {
                return OpResult.unknown(1);
            }
            DType dtype = outType != null ? outType : ins.get(0).dtype();
            if (legacyAxisBroadcast(c, ins.size())) {
                // opset < 7: B broadcasts to A from attribute 'axis' on (Add(x, bias[C], broadcast=1, axis=1)),
                // not numpy-style from the right; the result has A's shape
                Tensor a = ins.get(0);
                return OpResult.builder().output(Tensor.of(dtype, a.shape())).macs(0)
                        .other(a.elements().times(perElement)).build();
            }
            List<String> problems = new ArrayList<>();
            Shape out = Shapes.broadcast(shapes, problems);
            List<SymInt> values = null;
            if (valueOp != null) {
                values = Values.elementwise(ins, out, xs -> {
                    SymInt acc = xs[0];
                    for (int i = 1; i < xs.length; i++) {
                        acc = valueOp.apply(acc, xs[i]);
                    }
                    return acc;
                });
            }
            Count flops = Shapes.elements(out).times(perElement, Math.max(1, ins.size() - 1));
            return OpResult.builder().output(new Tensor(dtype, out, values)).problems(problems).macs(0).other(flops)
                    .build();
        };
    }

    /** The pre-opset-7 form of a binary op: {@code broadcast=1} with an explicit {@code axis}. */
    private static boolean legacyAxisBroadcast(OpContext c, int inputs) {
        return inputs == 2 && c.opset() > 0 && c.opset() < 7 && c.attrs().getLong("broadcast", 0) != 0
                && c.attrs().has("axis");
    }

    static OpRule compare(java.util.function.IntPredicate cmp) {
        return nary(1, (a, b) -> Values.compare(a, b, cmp), DType.BOOL);
    }

    static OpResult where(OpContext c) {
        List<String> problems = new ArrayList<>();
        Tensor cond = c.input(0);
        Tensor x = c.input(1);
        Tensor y = c.input(2);
        Shape out = Shapes.broadcast(List.of(cond.shape(), x.shape(), y.shape()), problems);
        List<SymInt> values = Values.elementwise(List.of(cond, x, y), out, v -> {
            if (v[0] instanceof SymInt.Known k) {
                return k.value() != 0 ? v[1] : v[2];
            }
            return v[1].equals(v[2]) ? v[1] : SymInt.UNKNOWN;
        });
        DType dtype = x.dtype() != DType.UNDEFINED ? x.dtype() : y.dtype();
        return OpResult.builder().output(new Tensor(dtype, out, values)).problems(problems).macs(0)
                .other(Shapes.elements(out)).build();
    }

    static OpResult cast(OpContext c) {
        Tensor x = c.input(0);
        DType to = Args.dtypeAttr(c, "to", DType.UNDEFINED);
        if (c.node().opType().equals("CastLike")) {
            to = c.input(1).dtype();
        }
        DType target = to;
        return OpResult.free(new Tensor(to, x.shape(), Values.unary(x, v -> Values.cast(v, target))));
    }

    /** Identity and friends: the input, values included. */
    static OpResult identity(OpContext c) {
        return OpResult.free(c.input(0));
    }

    /**
     * PRelu. From opset 7 the slope broadcasts unidirectionally to X (numpy rules); PRelu-6 and
     * earlier have no broadcasting: the slope is one value, one per channel (axis 1), or X's shape.
     */
    static OpResult prelu(OpContext c) {
        if (c.opset() >= 7 || c.opset() == 0) {
            return NARY_ONE.apply(c);
        }
        Tensor x = c.input(0);
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).macs(0).other(x.elements()).build();
    }

    private static final OpRule NARY_ONE = nary(1, null, null);

    /**
     * Dropout at inference: the input, and a mask of the same shape — BOOL from opset 10, X's type
     * before (the ratio is an attribute before opset 12, an input after; neither changes shapes).
     */
    static OpResult dropout(OpContext c) {
        Tensor x = c.input(0);
        OpResult.Builder b = OpResult.builder().output(x);
        if (c.node().outputs().size() > 1) {
            boolean old = c.opset() > 0 && c.opset() < 10;
            b.output(Tensor.of(old ? x.dtype() : DType.BOOL, x.shape()));
        }
        return b.macs(0).other(0).build();
    }

    /** Clip: x, and min/max as attributes (old) or inputs (opset 11+). */
    static OpResult clip(OpContext c) {
        Tensor x = c.input(0);
        List<SymInt> values = null;
        if (x.values() != null) {
            SymInt lo = boundValue(c, 1, "min");
            SymInt hi = boundValue(c, 2, "max");
            values = Values.unary(x, v -> {
                SymInt r = lo == null ? v : Values.max(v, lo);
                return hi == null ? r : Values.min(r, hi);
            });
        }
        return OpResult.builder().output(new Tensor(x.dtype(), x.shape(), values)).macs(0).other(x.elements()).build();
    }

    private static SymInt boundValue(OpContext c, int input, String attr) {
        if (c.present(input)) {
            Tensor t = c.input(input);
            return t.values() != null && t.values().size() == 1 ? t.values().get(0) : SymInt.UNKNOWN;
        }
        return c.attrs().has(attr) ? new SymInt.Real(c.attrs().getDouble(attr, 0)) : null;
    }
}
