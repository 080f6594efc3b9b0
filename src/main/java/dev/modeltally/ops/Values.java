package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Value propagation for small tensors: elementwise arithmetic with broadcasting over tracked
 * values, as ONNX defines it for the integer and float types that carry shapes and scales.
 */
public final class Values {

    private Values() {
    }

    /**
     * Values picked from a tensor of fixed dims: output axis {@code j} runs over
     * {@code index[perm[j]]}, positions along input axis {@code perm[j]}. Slice is the identity
     * permutation with per-axis index lists, Transpose a permutation with whole axes. Null when
     * the values are not tracked or the result is too large to track.
     */
    static List<SymInt> pick(Tensor x, long[][] index, int[] perm) {
        if (x.values() == null || !x.shape().isFullyKnown() || !x.elements().is(x.values().size())) {
            return null;
        }
        long[] sizes = x.shape().sizes();
        int rank = sizes.length;
        long[] stride = new long[rank];
        for (int k = rank - 1, s = 1; k >= 0; s *= (int) sizes[k], k--) {
            stride[k] = s;
        }
        long n = 1;
        for (int j = 0; j < rank; j++) {
            n *= index[perm[j]].length;
            if (n > Tensor.MAX_VALUES) {
                return null;
            }
        }
        List<SymInt> out = new ArrayList<>((int) n);
        int[] at = new int[rank];
        for (long k = 0; k < n; k++) {
            long offset = 0;
            for (int j = 0; j < rank; j++) {
                offset += index[perm[j]][at[j]] * stride[perm[j]];
            }
            out.add(x.values().get((int) offset));
            for (int j = rank - 1; j >= 0; j--) {
                if (++at[j] < index[perm[j]].length) {
                    break;
                }
                at[j] = 0;
            }
        }
        return out;
    }

    /** Every position of each axis of a fixed shape. */
    static long[][] wholeAxes(long[] sizes) {
        long[][] index = new long[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            index[k] = java.util.stream.LongStream.range(0, Math.max(0, Math.min(sizes[k], Tensor.MAX_VALUES)))
                    .toArray();
        }
        return index;
    }

    /** Elementwise {@code op} over tensors with tracked values, broadcasting; null when not computable. */
    public static List<SymInt> elementwise(List<Tensor> ins, Shape out, java.util.function.Function<SymInt[], SymInt> op) {
        long n = Shapes.elements(out).orElse(Long.MAX_VALUE);
        if (n > Tensor.MAX_VALUES) {
            return null;
        }
        for (Tensor t : ins) {
            if (t.values() == null || !t.shape().isFullyKnown() || !t.elements().is(t.values().size())) {
                return null;
            }
        }
        long[] outSizes = out.sizes();
        int rank = outSizes.length;
        List<SymInt> result = new ArrayList<>((int) n);
        int[] index = new int[rank];
        SymInt[] args = new SymInt[ins.size()];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < ins.size(); j++) {
                args[j] = ins.get(j).values().get(flatIndex(ins.get(j).shape().sizes(), index, rank));
            }
            result.add(op.apply(args));
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < outSizes[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }

    private static int flatIndex(long[] sizes, int[] outIndex, int outRank) {
        int offset = outRank - sizes.length;
        long flat = 0;
        for (int d = 0; d < sizes.length; d++) {
            long i = sizes[d] == 1 ? 0 : outIndex[d + offset];
            flat = flat * sizes[d] + i;
        }
        return (int) flat;
    }

    public static List<SymInt> binary(Tensor a, Tensor b, Shape out, BinaryOperator<SymInt> op) {
        return elementwise(List.of(a, b), out, xs -> op.apply(xs[0], xs[1]));
    }

    public static List<SymInt> unary(Tensor a, UnaryOperator<SymInt> op) {
        if (a.values() == null) {
            return null;
        }
        List<SymInt> out = new ArrayList<>(a.values().size());
        for (SymInt v : a.values()) {
            out.add(op.apply(v));
        }
        return out;
    }

    // ---- scalar arithmetic ------------------------------------------------------------------

    public static SymInt add(SymInt a, SymInt b) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y) {
            return exact(() -> Math.addExact(x.value(), y.value()));
        }
        if (isReal(a, b)) {
            return real(a.number() + b.number());
        }
        return symbolic(a, b, Expr::plus);
    }

    public static SymInt sub(SymInt a, SymInt b) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y) {
            return exact(() -> Math.subtractExact(x.value(), y.value()));
        }
        if (isReal(a, b)) {
            return real(a.number() - b.number());
        }
        return symbolic(a, b, Expr::minus);
    }

    public static SymInt mul(SymInt a, SymInt b) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y) {
            return exact(() -> Math.multiplyExact(x.value(), y.value()));
        }
        if (isReal(a, b)) {
            return real(a.number() * b.number());
        }
        if (a.longOr(1) == 0 || b.longOr(1) == 0) {
            return SymInt.of(0);
        }
        return symbolic(a, b, Expr::times);
    }

    /**
     * ONNX Div: integer division truncates toward zero. A symbolic dividend over a known positive
     * divisor is ⌊a/b⌋ when it is never negative (symbols are sizes), -⌊-a/b⌋ when never positive;
     * over a symbol, only exact division.
     */
    public static SymInt div(SymInt a, SymInt b) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y) {
            return y.value() == 0 ? SymInt.UNKNOWN : SymInt.of(x.value() / y.value());
        }
        if (isReal(a, b)) {
            return b.number() == 0 ? SymInt.UNKNOWN : real(a.number() / b.number());
        }
        if (b instanceof SymInt.Known y && y.value() > 0) {
            // truncation is the floor where the dividend is >= 0 at every size, minus the floor of its
            // negation where it is <= 0; a dividend of either sign is not written
            return symbolic(a, b, (x, d) -> {
                Expr exact = x.exactDiv(d); // every coefficient divides: no rounding, whatever the sign
                if (exact != null) {
                    return exact;
                }
                if (x.lowerBound() >= 0) {
                    return Expr.floorDiv(x, y.value());
                }
                if (x.negate().lowerBound() >= 0) {
                    return Expr.floorDiv(x.negate(), y.value()).negate();
                }
                throw new ArithmeticException("sign not known");
            });
        }
        return symbolic(a, b, (x, y) -> {
            Expr q = x.exactDiv(y);
            if (q == null) {
                throw new ArithmeticException("not exact");
            }
            return q;
        });
    }

    /** ONNX Mod with fmod=0: the sign of the divisor (Python semantics). */
    public static SymInt mod(SymInt a, SymInt b) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y && y.value() != 0) {
            return SymInt.of(Math.floorMod(x.value(), y.value()));
        }
        if (b instanceof SymInt.Known y && y.value() > 0) {
            return symbolic(a, b, (x, d) -> x.minus(Expr.floorDiv(x, y.value()).times(y.value())));
        }
        return SymInt.UNKNOWN;
    }

    public static SymInt max(SymInt a, SymInt b) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y) {
            return SymInt.of(Math.max(x.value(), y.value()));
        }
        if (isReal(a, b)) {
            return real(Math.max(a.number(), b.number()));
        }
        return symbolic(a, b, Expr::max);
    }

    public static SymInt min(SymInt a, SymInt b) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y) {
            return SymInt.of(Math.min(x.value(), y.value()));
        }
        if (isReal(a, b)) {
            return real(Math.min(a.number(), b.number()));
        }
        return symbolic(a, b, Expr::min);
    }

    /** Integer expressions combined exactly; Unknown for reals, unknowns and overflow. */
    private static SymInt symbolic(SymInt a, SymInt b, java.util.function.BinaryOperator<Expr> op) {
        Expr x = a.expr();
        Expr y = b.expr();
        if (x == null || y == null) {
            return SymInt.UNKNOWN;
        }
        try {
            return SymInt.of(op.apply(x, y));
        } catch (ArithmeticException e) {
            return SymInt.UNKNOWN;
        }
    }

    /** Comparison to 1/0; {@code cmp} gets a.compareTo(b). Expressions that differ by a constant compare. */
    public static SymInt compare(SymInt a, SymInt b, java.util.function.IntPredicate cmp) {
        if (isNumber(a) && isNumber(b)) {
            return SymInt.of(cmp.test(Double.compare(a.number(), b.number())) ? 1 : 0);
        }
        Expr x = a.expr();
        Expr y = b.expr();
        if (x != null && y != null) {
            try {
                Expr d = x.minus(y);
                if (d.isConstant()) {
                    return SymInt.of(cmp.test(Long.signum(d.constantValue())) ? 1 : 0);
                }
                // symbols are sizes (>= 0): a difference bounded away from 0, or one whose possible
                // signs all give the same answer, decides at every point
                long lo = d.lowerBound();
                long hi = d.negate().lowerBound(); // -d >= hi, so d <= -hi
                boolean[] possible = {lo < 0, lo <= 0 && hi <= 0, hi < 0}; // d < 0, d == 0, d > 0
                Boolean answer = null;
                boolean decided = true;
                for (int sign = -1; sign <= 1; sign++) {
                    if (possible[sign + 1]) {
                        boolean v = cmp.test(sign);
                        decided &= answer == null || answer == v;
                        answer = v;
                    }
                }
                if (decided && answer != null) {
                    return SymInt.of(answer ? 1 : 0);
                }
            } catch (ArithmeticException e) {
                return SymInt.UNKNOWN;
            }
        }
        return SymInt.UNKNOWN;
    }

    public static SymInt logical(SymInt a, SymInt b, BinaryOperator<Boolean> op) {
        if (a instanceof SymInt.Known x && b instanceof SymInt.Known y) {
            return SymInt.of(op.apply(x.value() != 0, y.value() != 0) ? 1 : 0);
        }
        return SymInt.UNKNOWN;
    }

    public static SymInt not(SymInt a) {
        return a instanceof SymInt.Known x ? SymInt.of(x.value() == 0 ? 1 : 0) : SymInt.UNKNOWN;
    }

    public static SymInt neg(SymInt a) {
        if (a instanceof SymInt.Known x) {
            return exact(() -> Math.negateExact(x.value()));
        }
        if (a instanceof SymInt.Sym s) {
            return SymInt.of(s.expr().negate()); // -seq, as x[:, -seq:] exports it
        }
        return a instanceof SymInt.Real r ? real(-r.value()) : SymInt.UNKNOWN;
    }

    /** |a|: a symbolic value only when its sign is known wherever the symbols are sizes. */
    public static SymInt abs(SymInt a) {
        if (a instanceof SymInt.Known x) {
            return exact(() -> Math.absExact(x.value()));
        }
        if (a instanceof SymInt.Sym s) {
            if (s.expr().lowerBound() >= 0) {
                return a;
            }
            return s.expr().negate().lowerBound() >= 0 ? SymInt.of(s.expr().negate()) : SymInt.UNKNOWN;
        }
        return a instanceof SymInt.Real r ? real(Math.abs(r.value())) : SymInt.UNKNOWN;
    }

    public static SymInt rounding(SymInt a, UnaryOperator<Double> f) {
        if (a instanceof SymInt.Real r) {
            return real(f.apply(r.value()));
        }
        return a;
    }

    /**
     * ONNX Pow, whose result has the base's type: reals as doubles; an integer base to an integer
     * exponent >= 0 exactly; an integer base to a real exponent truncated (as onnxruntime casts it
     * back); a symbolic size to a small integer exponent as a polynomial. Exports compute sizes so:
     * {@code int(num_positions ** 0.5)} is ViT's grid side when it interpolates positions.
     */
    public static SymInt pow(SymInt a, SymInt b) {
        if (a instanceof SymInt.Real x && isNumber(b)) {
            return real(Math.pow(x.value(), b.number()));
        }
        if (a instanceof SymInt.Known x && b instanceof SymInt.Real y) {
            double v = Math.pow(x.value(), y.value());
            return Double.isFinite(v) && Math.abs(v) < 9.0e18 ? SymInt.of((long) v) : SymInt.UNKNOWN;
        }
        if (!(b instanceof SymInt.Known e) || e.value() < 0 || e.value() > 64) {
            return SymInt.UNKNOWN;
        }
        if (a instanceof SymInt.Known x) {
            return exact(() -> java.math.BigInteger.valueOf(x.value()).pow((int) e.value()).longValueExact());
        }
        return symbolic(a, b, (x, y) -> x.pow((int) e.value()));
    }

    public static SymInt sqrt(SymInt a) {
        return isNumber(a) && a.number() >= 0 ? real(Math.sqrt(a.number())) : SymInt.UNKNOWN;
    }

    /** Converts a value to {@code to}: truncation to integers, integers to reals, non-zero to bool. */
    public static SymInt cast(SymInt a, DType to) {
        if (to == DType.BOOL) {
            return isNumber(a) ? SymInt.of(a.number() != 0 ? 1 : 0) : SymInt.UNKNOWN;
        }
        if (to.isInteger()) {
            if (a instanceof SymInt.Real r) {
                double v = r.value();
                return Double.isFinite(v) && Math.abs(v) < 9.0e18 ? SymInt.of((long) v) : SymInt.UNKNOWN;
            }
            return a;
        }
        if (to.kind() == DType.Kind.FLOATING && a instanceof SymInt.Known k) {
            return new SymInt.Real(k.value());
        }
        return a;
    }

    private static boolean isNumber(SymInt a) {
        return a instanceof SymInt.Known || a instanceof SymInt.Real;
    }

    private static boolean isReal(SymInt a, SymInt b) {
        return isNumber(a) && isNumber(b) && (a instanceof SymInt.Real || b instanceof SymInt.Real);
    }

    private static SymInt real(double v) {
        return Double.isNaN(v) ? SymInt.UNKNOWN : new SymInt.Real(v);
    }

    private static SymInt fromDim(Dim d, SymInt a, SymInt b) {
        if (d instanceof Dim.Unknown) {
            return SymInt.UNKNOWN;
        }
        // negative factors do not survive toDim(): only reached for non-negative operands
        if ((a instanceof SymInt.Known x && x.value() < 0) || (b instanceof SymInt.Known y && y.value() < 0)) {
            return SymInt.UNKNOWN;
        }
        return SymInt.of(d);
    }

    private static SymInt exact(java.util.function.LongSupplier f) {
        try {
            return SymInt.of(f.getAsLong());
        } catch (ArithmeticException e) {
            return SymInt.UNKNOWN;
        }
    }

    /** Values from a stored tensor's decoded ints/floats, or null. */
    public static List<SymInt> ofStored(List<Long> ints, List<Double> floats) {
        if (ints != null) {
            List<SymInt> out = new ArrayList<>(ints.size());
            ints.forEach(v -> out.add(SymInt.of(v)));
            return out;
        }
        if (floats != null) {
            List<SymInt> out = new ArrayList<>(floats.size());
            floats.forEach(v -> out.add(new SymInt.Real(v)));
            return out;
        }
        return null;
    }
}
