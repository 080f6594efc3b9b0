package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Ops that make tensors: Constant, ConstantOfShape, Range, EyeLike, the random generators. */
final class SourceRules {

    private SourceRules() {
    }

    static OpResult constant(OpContext c) {
        var a = c.attrs();
        for (Object v : a.values().values()) {
            if (v instanceof Weight w) {
                return OpResult.free(new Tensor(w.dtype(), w.shape(), Values.ofStored(w.intValues(), w.floatValues())));
            }
        }
        if (a.has("value_int")) {
            return OpResult.free(Tensor.scalar(DType.INT64, SymInt.of(a.getLong("value_int", 0))));
        }
        if (a.has("value_ints")) {
            long[] vs = a.getLongs("value_ints").orElse(new long[0]);
            List<SymInt> values = new ArrayList<>();
            for (long v : vs) {
                values.add(SymInt.of(v));
            }
            return OpResult.free(Tensor.vector(DType.INT64, values));
        }
        if (a.has("value_float")) {
            return OpResult.free(Tensor.scalar(DType.FLOAT, new SymInt.Real(a.getDouble("value_float", 0))));
        }
        if (a.values().get("value_floats") instanceof List<?> l) {
            List<SymInt> values = new ArrayList<>();
            for (Object o : l) {
                values.add(o instanceof Number n ? new SymInt.Real(n.doubleValue()) : SymInt.UNKNOWN);
            }
            return OpResult.free(Tensor.vector(DType.FLOAT, values));
        }
        if (a.has("value_string")) {
            return OpResult.free(Tensor.of(DType.STRING, Shape.scalar()));
        }
        if (a.values().get("value_strings") instanceof List<?> l) {
            return OpResult.free(Tensor.of(DType.STRING, Shape.of(l.size())));
        }
        return OpResult.unknown(1);
    }

    static OpResult constantOfShape(OpContext c) {
        Tensor shape = c.input(0);
        DType dtype = DType.FLOAT;
        SymInt fill = new SymInt.Real(0);
        if (c.attrs().get("value").orElse(null) instanceof Weight w) {
            dtype = w.dtype();
            List<SymInt> v = Values.ofStored(w.intValues(), w.floatValues());
            fill = v != null && v.size() == 1 ? v.get(0) : SymInt.UNKNOWN;
        }
        if (shape.values() == null) {
            Dim n = shape.dim(0);
            Shape s = shape.rank() == 1 && n instanceof Dim.Fixed f ? Shapes.unknownDims((int) f.value())
                    : Shape.unknownRank();
            return OpResult.free(Tensor.of(dtype, s));
        }
        Shape out = new Shape(Shapes.fromValues(shape.values()));
        long n = Shapes.elements(out).orElse(Long.MAX_VALUE);
        List<SymInt> values = n <= Tensor.MAX_VALUES ? Collections.nCopies((int) n, fill) : null;
        return OpResult.free(new Tensor(dtype, out, values));
    }

    /** Range(start, limit, delta): max(ceil((limit - start) / delta), 0) elements. */
    static OpResult range(OpContext c) {
        Tensor start = c.input(0);
        DType dtype = start.dtype();
        SymInt s = scalarValue(c.input(0));
        SymInt l = scalarValue(c.input(1));
        SymInt d = scalarValue(c.input(2));
        if (!isNumber(s) || !isNumber(l) || !isNumber(d) || d.number() == 0) {
            Dim len = Dim.UNKNOWN;
            // Range(s, l, d) over symbolic bounds with a known positive step is ceil((l - s)/d) long
            if (d.longOr(-1) > 0 && s.expr() != null && l.expr() != null) {
                try {
                    len = Dim.of(dev.modeltally.ir.Expr.ceilDiv(l.expr().minus(s.expr()), d.longOr(1)));
                } catch (ArithmeticException e) {
                    len = Dim.UNKNOWN;
                }
            }
            return OpResult.free(Tensor.of(dtype, new Shape(List.of(len))));
        }
        double count = Math.ceil((l.number() - s.number()) / d.number());
        long n = (long) Math.max(0, Math.min(count, Long.MAX_VALUE / 2.0));
        List<SymInt> values = null;
        if (n <= Tensor.MAX_VALUES) {
            values = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                values.add(s instanceof SymInt.Known k0 && d instanceof SymInt.Known kd
                        ? SymInt.of(k0.value() + i * kd.value()) : new SymInt.Real(s.number() + i * d.number()));
            }
        }
        return OpResult.free(new Tensor(dtype, Shape.of(n), values));
    }

    private static SymInt scalarValue(Tensor t) {
        return t.values() != null && t.values().size() == 1 ? t.values().get(0) : SymInt.UNKNOWN;
    }

    private static boolean isNumber(SymInt v) {
        return v instanceof SymInt.Known || v instanceof SymInt.Real;
    }

    /** RandomNormal / RandomUniform: shape and dtype attributes. */
    static OpResult random(OpContext c) {
        long[] shape = c.attrs().getLongs("shape").orElse(null);
        DType dtype = Args.dtypeAttr(c, "dtype", DType.FLOAT);
        return OpResult.free(Tensor.of(dtype, shape == null ? Shape.unknownRank() : Shapes.ofSizes(shape)));
    }

    /** RandomNormalLike, RandomUniformLike, EyeLike, Bernoulli: the input's shape. */
    static OpResult like(OpContext c) {
        Tensor x = c.input(0);
        return OpResult.free(Tensor.of(Args.dtypeAttr(c, "dtype", x.dtype()), x.shape()));
    }
}
