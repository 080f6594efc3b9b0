package dev.modeltally.analysis;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.DimMath;
import dev.modeltally.ops.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges what inference concluded with what the file declares (value_info, graph outputs): the
 * file's dims fill in only what inference left Unknown, with bound symbols substituted
 * ({@code batch} → 1); inference is never overruled. When the user's input shapes contradict the
 * file's fixed dims, the file's fixed dims are stale and not used at all.
 */
final class DeclaredShapes {

    private final Map<String, Long> bindings;
    private final boolean trustFixed;
    /**
     * The symbolic pass: the symbols of the inputs (null otherwise). A size inference wrote as an
     * expression is not replaced by a declared number, and a declared name that is not an expression
     * of the inputs' symbols (an exporter's {@code unk__12}) stands for nothing the formula can use.
     */
    private final Set<String> inputSymbols;

    DeclaredShapes(Map<String, Long> bindings, boolean trustFixed) {
        this(bindings, trustFixed, null);
    }

    DeclaredShapes(Map<String, Long> bindings, boolean trustFixed, Set<String> inputSymbols) {
        this.bindings = bindings;
        this.trustFixed = trustFixed;
        this.inputSymbols = inputSymbols;
    }

    /** A declared shape with bound symbols replaced by their sizes. */
    Shape substitute(Shape s) {
        if (!s.rankKnown()) {
            return s;
        }
        List<Dim> out = new ArrayList<>(s.rank());
        for (Dim d : s.dims()) {
            out.add(substitute(d));
        }
        return new Shape(out);
    }

    Dim substitute(Dim d) {
        if (!(d instanceof Dim.Symbolic sym) || bindings.isEmpty()) {
            return d;
        }
        // every bound symbol of the expression takes its value: 12*sequence with sequence=64 → 768
        try {
            return Dim.of(sym.expr().substitute(name -> {
                Long v = bindings.get(name);
                return v == null ? null : dev.modeltally.ir.Expr.constant(v);
            }));
        } catch (ArithmeticException e) {
            return Dim.UNKNOWN;
        }
    }

    /** Inference's tensor, completed from the declaration where inference knows less. */
    Tensor merge(Tensor inferred, Value declared) {
        if (declared == null) {
            return inferred;
        }
        if (inferred.type() != null) {
            return inferred; // a sequence, map or optional: its rule knows more than a declaration can say
        }
        if (declared.type() != null) {
            return inferred.dtype() == DType.UNDEFINED && !inferred.rankKnown() ? Tensor.ofType(declared.type())
                    : inferred;
        }
        DType dtype = inferred.dtype() == DType.UNDEFINED ? declared.dtype() : inferred.dtype();
        Shape d = substitute(declared.shape());
        Shape s = inferred.shape();
        if (!s.rankKnown()) {
            return new Tensor(dtype, d.rankKnown() ? usable(d) : s, inferred.values());
        }
        if (!d.rankKnown() || d.rank() != s.rank()) {
            return new Tensor(dtype, s, inferred.values());
        }
        List<Dim> out = new ArrayList<>(s.rank());
        for (int i = 0; i < s.rank(); i++) {
            Dim mine = s.dim(i);
            Dim theirs = d.dim(i);
            boolean fill = mine instanceof Dim.Unknown
                    || (mine instanceof Dim.Symbolic && theirs instanceof Dim.Fixed && trustFixed && inputSymbols == null);
            if (fill && foreign(theirs)) {
                theirs = Dim.UNKNOWN;
            }
            out.add(fill && (trustFixed || !(theirs instanceof Dim.Fixed)) ? theirs : mine);
        }
        return new Tensor(dtype, new Shape(out), inferred.values());
    }

    /** In the symbolic pass, a declared symbolic size that is not an expression of the inputs' symbols. */
    private boolean foreign(Dim d) {
        return inputSymbols != null && d instanceof Dim.Symbolic sym && !inputSymbols.containsAll(sym.expr().symbols());
    }

    /** A declared shape as used when inference knows nothing: stale fixed dims dropped. */
    private Shape usable(Shape d) {
        if (trustFixed && inputSymbols == null) {
            return d;
        }
        if (trustFixed) {
            List<Dim> out = new ArrayList<>();
            d.dims().forEach(x -> out.add(foreign(x) ? Dim.UNKNOWN : x));
            return new Shape(out);
        }
        List<Dim> out = new ArrayList<>();
        for (Dim x : d.dims()) {
            out.add(x instanceof Dim.Fixed ? Dim.UNKNOWN : foreign(x) ? Dim.UNKNOWN : x);
        }
        return new Shape(out);
    }

    /** Both fully known and different: the file and the rules disagree. */
    boolean conflicts(Tensor inferred, Value declared) {
        if (declared == null || !trustFixed || declared.type() != null || inferred.type() != null) {
            return false;
        }
        Shape d = substitute(declared.shape());
        Shape s = inferred.shape();
        if (!s.rankKnown() || !d.rankKnown()) {
            return false;
        }
        if (s.rank() != d.rank()) {
            return true;
        }
        for (int i = 0; i < s.rank(); i++) {
            if (DimMath.conflict(s.dim(i), d.dim(i))) {
                return true;
            }
        }
        return false;
    }
}
