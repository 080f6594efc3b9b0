package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Reductions and ops that scan an axis: ReduceX, ArgMax/ArgMin, TopK, CumSum, Softmax family.
 * No MACs. Other FLOPs: one per input element for reductions, arg-reductions, TopK and CumSum;
 * {@value #SOFTMAX} per element for Softmax/LogSoftmax (exp, sum, divide).
 */
final class ReduceRules {

    static final int SOFTMAX = 3;

    private ReduceRules() {
    }

    /** ReduceSum/Mean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare: axes attribute or (newer) input. */
    static OpResult reduce(OpContext c) {
        Tensor x = c.input(0);
        boolean keep = c.attrs().getLong("keepdims", 1) != 0;
        Args.Ints axes = Args.ints(c, "axes", 1);
        boolean noopEmpty = c.attrs().getLong("noop_with_empty_axes", 0) != 0;
        if (!x.rankKnown() || (axes.given() && !axes.known())) {
            Shape s = x.rankKnown() && keep ? Shapes.unknownDims(x.rank()) : Shape.unknownRank();
            return OpResult.builder().output(Tensor.of(x.dtype(), s)).macs(0).other(x.elements()).build();
        }
        boolean[] reduced = new boolean[x.rank()];
        if (!axes.given() || axes.values().length == 0) {
            if (noopEmpty) {
                return OpResult.free(x);
            }
            java.util.Arrays.fill(reduced, true);
        } else {
            for (long a : axes.values()) {
                int k = Shapes.axis(a, x.rank());
                if (k < 0) {
                    return OpResult.builder().output(Tensor.of(x.dtype(), Shape.unknownRank()))
                            .problem("axis " + a + " out of range for rank " + x.rank()).build();
                }
                reduced[k] = true;
            }
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!reduced[i]) {
                dims.add(x.dim(i));
            } else if (keep) {
                dims.add(Dim.of(1));
            }
        }
        return OpResult.builder().output(new Tensor(x.dtype(), new Shape(dims), foldedShapeValue(c, x)))
                .macs(0).other(x.elements()).build();
    }

    /**
     * ReduceProd/Sum/Max/Min of a tracked integer vector (a slice of a Shape: the flattened size of
     * some dims) as a value, so that a Reshape to it resolves, symbolic sizes included; else null.
     */
    private static List<SymInt> foldedShapeValue(OpContext c, Tensor x) {
        if (x.rank() != 1 || x.values() == null || !x.dtype().isInteger() || x.values().isEmpty()) {
            return null;
        }
        java.util.function.BinaryOperator<SymInt> op = switch (c.node().opType()) {
            case "ReduceProd" -> Values::mul;
            case "ReduceSum" -> Values::add;
            case "ReduceMax" -> Values::max;
            case "ReduceMin" -> Values::min;
            default -> null;
        };
        if (op == null) {
            return null;
        }
        SymInt acc = x.values().get(0);
        for (int i = 1; i < x.values().size(); i++) {
            acc = op.apply(acc, x.values().get(i));
        }
        return acc.expr() == null ? null : List.of(acc);
    }

    /** ArgMax, ArgMin: one axis, INT64 output. */
    static OpResult argReduce(OpContext c) {
        Tensor x = c.input(0);
        boolean keep = c.attrs().getLong("keepdims", 1) != 0;
        int axis = Shapes.axis(c.attrs().getLong("axis", 0), x.rank());
        if (axis < 0) {
            return OpResult.builder().output(Tensor.of(DType.INT64, Shape.unknownRank())).macs(0).other(x.elements())
                    .build();
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        if (keep) {
            dims.set(axis, Dim.of(1));
        } else {
            dims.remove(axis);
        }
        return OpResult.builder().output(Tensor.of(DType.INT64, new Shape(dims))).macs(0).other(x.elements()).build();
    }

    /** TopK: K from the input (opset 10+) or attribute; values and INT64 indices. */
    static OpResult topK(OpContext c) {
        Tensor x = c.input(0);
        int axis = Shapes.axis(c.attrs().getLong("axis", -1), x.rank());
        long k = Args.scalar(c, "k", 1, -1).orElse(-1); // a negative K is invalid: the dim stays unknown
        List<Dim> dims = x.rankKnown() ? new ArrayList<>(x.shape().dims()) : null;
        if (dims != null && axis >= 0) {
            List<SymInt> symK = k < 0 && c.present(1) ? Args.symInts(c, null, 1) : null;
            dims.set(axis, k >= 0 ? Dim.of(k) : symK != null && symK.size() == 1 ? symK.get(0).toDim() : Dim.UNKNOWN);
        }
        Shape s = dims == null || axis < 0 ? Shape.unknownRank() : new Shape(dims);
        return OpResult.builder().output(Tensor.of(x.dtype(), s)).output(Tensor.of(DType.INT64, s)).macs(0)
                .other(x.elements()).build();
    }

    static OpResult cumSum(OpContext c) {
        Tensor x = c.input(0);
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).macs(0).other(x.elements()).build();
    }

    static OpResult softmax(OpContext c) {
        Tensor x = c.input(0);
        int per = c.node().opType().equals("Hardmax") ? 1 : SOFTMAX;
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).macs(0).other(x.elements().times(per))
                .build();
    }
}
