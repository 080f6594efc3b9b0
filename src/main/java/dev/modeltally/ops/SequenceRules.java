package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequences and optionals: each sequence carries its length and, when that is known, its elements
 * (so SequenceAt, ConcatFromSequence and SequenceLength resolve as Concat and Shape do). Data
 * movement only: 0 MACs, 0 other FLOPs; SequenceMap counts its body once per element.
 */
final class SequenceRules {

    private SequenceRules() {
    }

    static void register(java.util.Map<String, OpRule> m) {
        m.put("SequenceEmpty", SequenceRules::empty);
        m.put("SequenceConstruct", SequenceRules::construct);
        m.put("SequenceInsert", SequenceRules::insert);
        m.put("SequenceAt", SequenceRules::at);
        m.put("SequenceErase", SequenceRules::erase);
        m.put("SequenceLength", SequenceRules::length);
        m.put("SplitToSequence", SequenceRules::splitToSequence);
        m.put("ConcatFromSequence", SequenceRules::concatFromSequence);
        m.put("SequenceMap", SequenceRules::sequenceMap);
        m.put("Optional", SequenceRules::optional);
        m.put("OptionalHasElement", SequenceRules::optionalHasElement);
        m.put("OptionalGetElement", SequenceRules::optionalGetElement);
    }

    /** A sequence of known elements; its element type is what they have in common. */
    static Tensor of(List<Tensor> items, ValueType fallback) {
        return Tensor.sequence(items.isEmpty() ? fallback : common(items), items);
    }

    /** The element type shared by tensors: dims that agree stay, others are Unknown. */
    static ValueType common(List<Tensor> items) {
        Tensor first = items.get(0);
        if (first.type() != null) {
            return first.type();
        }
        Shape s = first.shape();
        for (Tensor t : items) {
            s = generalize(s, t.shape());
        }
        return new ValueType.TensorType(first.dtype(), s);
    }

    static Shape generalize(Shape a, Shape b) {
        if (!a.rankKnown() || !b.rankKnown() || a.rank() != b.rank()) {
            return Shape.unknownRank();
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < a.rank(); i++) {
            dims.add(a.dim(i).equals(b.dim(i)) ? a.dim(i) : Dim.UNKNOWN);
        }
        return new Shape(dims);
    }

    private static ValueType element(Tensor seq) {
        ValueType e = seq.elementType();
        return e != null ? e : new ValueType.TensorType(DType.UNDEFINED, Shape.unknownRank());
    }

    private static Dim length(Tensor seq) {
        return seq.isSequence() && seq.rank() == 1 ? seq.dim(0) : Dim.UNKNOWN;
    }

    /**
     * A position input resolved against {@code n} elements: negative counts from the back; absent
     * means the end (insert: append, erase: the last). -1 when unknown or out of range.
     */
    private static int position(OpContext c, int input, int n, boolean insert) {
        long p = insert ? n : n - 1;
        if (c.present(input)) {
            long[] v = c.input(input).ints();
            if (v == null || v.length != 1) {
                return -1;
            }
            p = v[0] < 0 ? v[0] + n : v[0];
        }
        return p >= 0 && p < (insert ? n + 1 : n) ? (int) p : -1;
    }

    static OpResult empty(OpContext c) {
        DType t = Args.dtypeAttr(c, "dtype", DType.FLOAT);
        return OpResult.free(of(List.of(), new ValueType.TensorType(t, Shape.unknownRank())));
    }

    static OpResult construct(OpContext c) {
        List<Tensor> items = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            items.add(c.input(i));
        }
        return OpResult.free(items.isEmpty() ? Tensor.UNKNOWN : of(items, null));
    }

    static OpResult insert(OpContext c) {
        Tensor seq = c.input(0);
        Tensor t = c.input(1);
        if (seq.items() != null) {
            int k = position(c, 2, seq.items().size(), true);
            if (k >= 0) {
                List<Tensor> items = new ArrayList<>(seq.items());
                items.add(k, t);
                return OpResult.free(of(items, null));
            }
        }
        List<Tensor> both = seq.items() != null && seq.items().isEmpty() ? List.of(t)
                : List.of(Tensor.ofType(element(seq)), t);
        return OpResult.free(Tensor.sequence(common(both), DimMath.add(length(seq), Dim.of(1)), null));
    }

    static OpResult at(OpContext c) {
        Tensor seq = c.input(0);
        if (seq.items() != null) {
            int k = c.present(1) ? position(c, 1, seq.items().size(), false) : -1;
            if (k >= 0) {
                return OpResult.free(seq.items().get(k));
            }
        }
        return OpResult.free(Tensor.ofType(element(seq)));
    }

    static OpResult erase(OpContext c) {
        Tensor seq = c.input(0);
        if (seq.items() != null) {
            int k = position(c, 1, seq.items().size(), false);
            if (k >= 0) {
                List<Tensor> items = new ArrayList<>(seq.items());
                items.remove(k);
                return OpResult.free(of(items, element(seq)));
            }
        }
        return OpResult.free(Tensor.sequence(element(seq), length(seq) instanceof Dim.Fixed f && f.value() > 0 ? Dim.of(f.value() - 1) : Dim.UNKNOWN, null));
    }

    static OpResult length(OpContext c) {
        Dim n = length(c.input(0));
        return OpResult.free(Tensor.scalar(DType.INT64, SymInt.of(n)));
    }

    static OpResult splitToSequence(OpContext c) {
        Tensor x = c.input(0);
        int axis = Shapes.axis(c.attrs().getLong("axis", 0), x.rank());
        boolean keep = c.attrs().getLong("keepdims", 1) != 0;
        ValueType unknownElement = new ValueType.TensorType(x.dtype(), x.rankKnown() ? Shapes.unknownDims(x.rank())
                : Shape.unknownRank());
        if (axis < 0) {
            return OpResult.free(Tensor.sequence(unknownElement, Dim.UNKNOWN, null));
        }
        if (!(x.dim(axis) instanceof Dim.Fixed fixed)) {
            return OpResult.free(Tensor.sequence(unknownElement, Dim.UNKNOWN, null));
        }
        long whole = fixed.value();
        List<Long> sizes = new ArrayList<>();
        boolean squeeze = false;
        if (!c.present(1)) {
            squeeze = !keep;
            for (long i = 0; i < whole && sizes.size() <= Tensor.MAX_VALUES; i++) {
                sizes.add(1L);
            }
        } else {
            Tensor split = c.input(1);
            long[] v = split.ints();
            if (v == null) {
                return OpResult.free(Tensor.sequence(unknownElement, Dim.UNKNOWN, null));
            }
            if (split.rank() == 0 && v.length == 1 && v[0] > 0) {
                for (long done = 0; done < whole && sizes.size() <= Tensor.MAX_VALUES; done += v[0]) {
                    sizes.add(Math.min(v[0], whole - done));
                }
            } else if (split.rank() == 1) {
                for (long s : v) {
                    if (s < 0) {
                        return OpResult.builder().output(Tensor.sequence(unknownElement, Dim.UNKNOWN, null))
                                .problem("negative split size " + s).build();
                    }
                    sizes.add(s);
                }
            } else {
                return OpResult.free(Tensor.sequence(unknownElement, Dim.UNKNOWN, null));
            }
        }
        if (sizes.size() > Tensor.MAX_VALUES) {
            return OpResult.free(Tensor.sequence(unknownElement, Dim.UNKNOWN, null));
        }
        List<Tensor> items = new ArrayList<>();
        for (long s : sizes) {
            List<Dim> dims = new ArrayList<>(x.shape().dims());
            if (squeeze) {
                dims.remove(axis);
            } else {
                dims.set(axis, Dim.of(s));
            }
            items.add(Tensor.of(x.dtype(), new Shape(dims)));
        }
        return OpResult.free(of(items, unknownElement));
    }

    static OpResult concatFromSequence(OpContext c) {
        Tensor seq = c.input(0);
        boolean stack = c.attrs().getLong("new_axis", 0) != 0;
        ValueType e = element(seq);
        if (!(e instanceof ValueType.TensorType et) || !et.shape().rankKnown()) {
            return OpResult.free(Tensor.of(e instanceof ValueType.TensorType t ? t.dtype() : DType.UNDEFINED,
                    Shape.unknownRank()));
        }
        int rank = et.shape().rank() + (stack ? 1 : 0);
        int axis = Shapes.axis(c.attrs().getLong("axis", 0), rank);
        if (axis < 0) {
            return OpResult.free(Tensor.of(et.dtype(), Shape.unknownRank()));
        }
        List<Dim> dims = new ArrayList<>(et.shape().dims());
        if (stack) {
            dims.add(axis, length(seq));
        } else if (seq.items() != null) {
            Dim total = Dim.of(0);
            for (Tensor t : seq.items()) {
                total = DimMath.add(total, t.dim(axis));
            }
            dims.set(axis, total);
        } else {
            dims.set(axis, DimMath.mul(dims.get(axis), length(seq)));
        }
        return OpResult.free(Tensor.of(et.dtype(), new Shape(dims)));
    }

    /**
     * SequenceMap: the body once per element (its cost times the length), each output a sequence.
     * Elements of different shapes are evaluated apart, one evaluation per distinct set of shapes.
     */
    static OpResult sequenceMap(OpContext c) {
        Graph body = c.attrs().get("body").orElse(null) instanceof Graph g ? g : null;
        int outs = c.node().outputs().size();
        if (body == null) {
            return OpResult.unknown(outs);
        }
        Dim n = length(c.input(0));
        List<List<Tensor>> perElement = elementInputs(c, n);
        OpResult.Builder b = OpResult.builder().macs(0).other(0);
        if (perElement == null) {
            List<Tensor> in = new ArrayList<>();
            for (int i = 0; i < c.inputCount(); i++) {
                Tensor t = c.input(i);
                in.add(t.isSequence() ? Tensor.ofType(element(t)) : t);
            }
            List<Tensor> res = c.runSubgraph(body, in, Count.of(n));
            for (int i = 0; i < outs; i++) {
                Tensor r = i < res.size() ? res.get(i) : Tensor.UNKNOWN;
                b.output(Tensor.sequence(r.asElement(), n, null));
            }
            return b.build();
        }
        java.util.Map<List<Tensor>, List<Tensor>> distinct = new java.util.LinkedHashMap<>();
        java.util.Map<List<Tensor>, Count> counts = new java.util.HashMap<>();
        for (List<Tensor> in : perElement) {
            distinct.putIfAbsent(in, null);
            counts.merge(in, Count.ONE, Count::plus);
        }
        int k = 0;
        for (List<Tensor> in : new ArrayList<>(distinct.keySet())) {
            distinct.put(in, distinct.size() == 1 ? c.runSubgraph(body, in, counts.get(in))
                    : c.runSubgraphInstance(body, in, counts.get(in), "#" + ++k));
        }
        for (int i = 0; i < outs; i++) {
            List<Tensor> items = new ArrayList<>();
            for (List<Tensor> in : perElement) {
                List<Tensor> res = distinct.get(in);
                items.add(i < res.size() ? res.get(i).withValues(null) : Tensor.UNKNOWN);
            }
            b.output(of(items, null));
        }
        return b.build();
    }

    /** Per element, the body's inputs (sequence inputs' elements, other inputs as they are); null unless all known. */
    private static List<List<Tensor>> elementInputs(OpContext c, Dim n) {
        if (!(n instanceof Dim.Fixed f) || f.value() > Tensor.MAX_VALUES || f.value() == 0) {
            return null;
        }
        List<List<Tensor>> out = new ArrayList<>();
        for (int e = 0; e < f.value(); e++) {
            List<Tensor> in = new ArrayList<>();
            for (int i = 0; i < c.inputCount(); i++) {
                Tensor t = c.input(i);
                if (t.isSequence()) {
                    if (t.items() == null || t.items().size() != f.value()) {
                        return null;
                    }
                    in.add(t.items().get(e).withValues(null));
                } else {
                    in.add(t);
                }
            }
            out.add(in);
        }
        return out;
    }

    static OpResult optional(OpContext c) {
        if (c.present(0)) {
            Tensor x = c.input(0);
            return OpResult.free(new Tensor(DType.UNDEFINED, Shape.scalar(), null,
                    new ValueType.OptionalType(x.asElement()), List.of(x)));
        }
        ValueType e = c.attrs().get("type").orElse(null) instanceof ValueType t ? t
                : new ValueType.TensorType(DType.UNDEFINED, Shape.unknownRank());
        return OpResult.free(new Tensor(DType.UNDEFINED, Shape.scalar(), null, new ValueType.OptionalType(e),
                List.of()));
    }

    static OpResult optionalHasElement(OpContext c) {
        Tensor x = c.input(0);
        SymInt v = SymInt.UNKNOWN;
        if (!c.present(0)) {
            v = SymInt.of(0);
        } else if (x.type() instanceof ValueType.OptionalType && x.items() != null) {
            v = SymInt.of(x.items().isEmpty() ? 0 : 1);
        } else if (x.type() == null && x.rankKnown()) {
            v = SymInt.of(1); // a plain tensor (opset 18) always has its element
        }
        return OpResult.free(Tensor.scalar(DType.BOOL, v));
    }

    static OpResult optionalGetElement(OpContext c) {
        Tensor x = c.input(0);
        if (x.type() instanceof ValueType.OptionalType o) {
            return OpResult.free(x.items() != null && x.items().size() == 1 ? x.items().get(0) : Tensor.ofType(o.element()));
        }
        return OpResult.free(x);
    }
}
