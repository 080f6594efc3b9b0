package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.KerasLayer;
import dev.modeltally.ir.KerasWeight;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule of a Keras layer class: its table row plus its family. A node's inputs are its activations
 * followed by its stored variables; the result has the output shapes, the cost, and one
 * {@link WeightSpec} per weight the config implies, matched to the stored variables by name (input
 * -1 when none is stored) — CrossCheck compares them, and reports stored variables no spec claims.
 */
final class KerasLayerRule implements OpRule {

    private final KerasLayer row;
    private final KerasFamily family;

    KerasLayerRule(KerasLayer row, KerasFamily family) {
        this.row = row;
        this.family = family;
    }

    @Override
    public OpResult apply(OpContext c) {
        List<Shape> in = new ArrayList<>();
        List<DType> types = new ArrayList<>();
        DType dtype = DType.UNDEFINED;
        for (int i : activations(c)) {
            Tensor t = c.input(i);
            in.add(t.shape());
            types.add(t.dtype());
            if (dtype == DType.UNDEFINED) {
                dtype = t.dtype();
            }
        }
        boolean bool = row.family().equals("compare") || row.family().equals("reduce");
        dtype = bool ? DType.BOOL : policy(c, dtype);
        KerasCall call = new KerasCall(c.node().opType(), row, c.attrs(), in, types);
        List<Shape> out;
        try {
            out = family.outputs(call);
        } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
            out = List.of(); // a config whose sizes make no sense: leave it unknown
        }
        OpResult.Builder b = OpResult.builder();
        for (int i = 0; i < c.node().outputs().size(); i++) {
            b.output(Tensor.of(dtype, i < out.size() ? out.get(i) : Shape.unknownRank()));
        }
        try {
            b.cost(family.cost(call, out));
        } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
            b.cost(Cost.UNKNOWN);
        }
        List<KerasExpect> expected;
        try {
            expected = expected(row, family, call);
        } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
            expected = null;
        }
        claim(c, expected, b);
        return b.build();
    }

    /** The weights a call implies: the row's (present for this config), then the family's inner ones. */
    static List<KerasExpect> expected(KerasLayer row, KerasFamily family, KerasCall call) {
        Map<String, long[]> sizes = new HashMap<>();
        family.sizes(call, sizes);
        List<KerasExpect> out = new ArrayList<>();
        for (KerasWeight w : row.weights()) {
            if (!w.alias() && w.present(row, call.attrs().values())) {
                out.add(new KerasExpect(w.part(), w.roles(), KerasDims.shape(w, call, sizes)));
            }
        }
        List<KerasExpect> inner = family.innerWeights(call);
        if (inner == null) {
            return null;
        }
        out.addAll(inner);
        return out;
    }

    /**
     * One spec per expected weight, at the first unclaimed stored variable with its name; stored
     * variables no name matches stay unclaimed. {@code expected == null}: the rule cannot say which
     * weights the layer has, so every stored one is claimed without a shape.
     */
    static void claim(OpContext c, List<KerasExpect> expected, OpResult.Builder b) {
        List<Integer> stored = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.storedWeight(i) != null) {
                stored.add(i);
            }
        }
        if (expected == null) {
            for (int i : stored) {
                b.weight(i, Shape.unknownRank(), "weight");
            }
            return;
        }
        String layer = layerName(c.node().name());
        boolean[] used = new boolean[stored.size()];
        for (KerasExpect e : expected) {
            int match = -1;
            for (int k = 0; k < stored.size() && match < 0; k++) {
                Weight w = c.storedWeight(stored.get(k));
                if (!used[k] && e.matches(w.name(), layer)) {
                    match = k;
                }
            }
            if (match >= 0) {
                used[match] = true;
            }
            b.weight(match < 0 ? -1 : stored.get(match), e.shape(), e.label());
        }
    }

    /** A call node of a shared layer is named {@code layer:call}; its weights are named after the layer. */
    static String layerName(String name) {
        int colon = name.lastIndexOf(':');
        return colon > 0 && name.substring(colon + 1).chars().allMatch(Character::isDigit)
                ? name.substring(0, colon) : name;
    }

    /** Indexes of the node's activation inputs (present and not a stored weight). */
    static List<Integer> activations(OpContext c) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.present(i) && c.storedWeight(i) == null) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * A layer computes in its dtype policy's compute type (float32 unless the config says otherwise). An
     * integer or bool policy is the layer's output type too (Hashing, IntegerLookup and StringLookup in
     * "int" mode are int64, a Cast to int32 is int32); a quantized policy ("int8_from_float32") computes in
     * float.
     */
    static DType policy(OpContext c, DType fallback) {
        Object p = c.attrs().get("dtype").orElse(null);
        String name = p instanceof String s ? s : null;
        if (p instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> cfg && cfg.get("name") instanceof String s) {
            name = s;
        }
        if (name == null) {
            return fallback == DType.UNDEFINED ? DType.FLOAT : fallback;
        }
        // Keras's two mixed policies compute in their low-precision type; a name of no number type computes in float
        DType t = DType.fromKerasName(name.equals("mixed_float16") || name.equals("mixed_bfloat16")
                ? name.substring("mixed_".length()) : name);
        return t == DType.UNDEFINED || t == DType.STRING ? DType.FLOAT : t;
    }
}
