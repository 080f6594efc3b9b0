package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dense, Embedding, Dot, activations, merges, scalings and normalisations. Dense: in·units MACs per
 * row; Dot: the contracted size per output element; Embedding a lookup (no arithmetic); activations,
 * merges and normalisations other FLOPs per element.
 */
final class KerasDenseFamilies {

    private KerasDenseFamilies() {
    }

    static Shape withLast(Shape x, Dim last) {
        List<Dim> d = new ArrayList<>(x.dims());
        d.set(d.size() - 1, last);
        return new Shape(d);
    }

    static boolean hasDims(Shape x) {
        return x.rankKnown() && x.rank() > 0;
    }

    static List<Shape> dense(KerasCall c) {
        String units = c.row().params().getOrDefault("units", "units"); // RandomFourierFeatures: output_dim
        return List.of(hasDims(c.x()) ? withLast(c.x(), KerasCall.dim(c.num(units, -1))) : Shape.unknownRank());
    }

    static Cost denseCost(KerasCall c, List<Shape> out) {
        Shape x = c.x();
        Shape y = out.isEmpty() ? Shape.unknownRank() : out.get(0);
        Count ye = Shapes.elements(y);
        if (!hasDims(x) || !hasDims(y) || !ye.known()) {
            return Cost.UNKNOWN;
        }
        Count other = KerasConvFamilies.bias(c, ye).plus(KerasConvFamilies.activation(c, ye));
        return Cost.of(Shapes.elements(x).times(Count.of(y.dim(y.rank() - 1))), other);
    }

    /**
     * ReversibleEmbedding called with {@code reverse=True} (a call argument the config does not keep):
     * its input is then float hidden states, not ids.
     */
    static boolean reversed(KerasCall c) {
        return c.row().className().equals("ReversibleEmbedding") && c.floatInput()
                && KerasCall.size(c.x(), -1) == c.num("output_dim", -2); // ids may be float too (Input default)
    }

    static List<Shape> embedding(KerasCall c) {
        Shape x = c.x();
        if (!hasDims(x)) {
            return List.of(Shape.unknownRank());
        }
        if (reversed(c)) {
            return List.of(withLast(x, KerasCall.dim(c.num("input_dim", -1))));
        }
        List<Dim> d = new ArrayList<>(x.dims());
        d.add(KerasCall.dim(c.num("output_dim", -1)));
        return List.of(new Shape(d));
    }

    /** Lookup: no arithmetic; reversed: a product with the (input_dim, output_dim) table per row. */
    static Cost embeddingCost(KerasCall c, List<Shape> out) {
        if (!reversed(c)) {
            return Cost.FREE;
        }
        Count e = out.isEmpty() ? Count.UNKNOWN : Shapes.elements(out.get(0));
        return Cost.of(e.times(KerasCall.count(c.x(), -1)), Count.ZERO);
    }

    /** keras.ops Any / All: the axis (an int, a list, or None for all) removed, or kept as 1. */
    static List<Shape> reduce(KerasCall c) {
        Shape x = c.x();
        if (!x.rankKnown()) {
            return List.of(Shape.unknownRank());
        }
        boolean keep = c.flag("keepdims", false);
        long[] axes = c.attr("axis") == null ? null : c.attrs().getLongs("axis").orElse(null);
        boolean[] drop = new boolean[x.rank()];
        for (int i = 0; i < x.rank(); i++) {
            drop[i] = axes == null;
        }
        for (long a : axes == null ? new long[0] : axes) {
            int i = (int) (a < 0 ? x.rank() + a : a);
            if (i < 0 || i >= x.rank()) {
                return List.of(Shape.unknownRank());
            }
            drop[i] = true;
        }
        List<Dim> d = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!drop[i]) {
                d.add(x.dim(i));
            } else if (keep) {
                d.add(Dim.of(1));
            }
        }
        return List.of(new Shape(d));
    }

    static Cost reduceCost(KerasCall c, List<Shape> out) {
        return Cost.elementwise(Shapes.elements(c.x()));
    }

    /** Dot(axes): x without its axis, then y without batch and its axis (Keras adds a 1 to a rank-1 result). */
    static List<Shape> dot(KerasCall c) {
        int[] ax = dotAxes(c);
        if (ax == null) {
            return List.of(Shape.unknownRank());
        }
        List<Dim> d = new ArrayList<>(c.in().get(0).dims());
        d.remove(ax[0]);
        List<Dim> y = new ArrayList<>(c.in().get(1).dims());
        y.remove(ax[1]);
        y.remove(0);
        d.addAll(y);
        if (d.size() == 1) {
            d.add(Dim.of(1));
        }
        return List.of(new Shape(d));
    }

    private static int[] dotAxes(KerasCall c) {
        if (c.in().size() != 2 || !hasDims(c.in().get(0)) || !hasDims(c.in().get(1))) {
            return null;
        }
        long[] axes = c.attrs().getLongs("axes").orElse(null);
        if (axes == null || axes.length == 0) {
            return null;
        }
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            int rank = c.in().get(i).rank();
            long a = axes.length == 1 ? axes[0] : axes[i];
            out[i] = (int) (a < 0 ? rank + a : a);
            if (out[i] <= 0 || out[i] >= rank) {
                return null;
            }
        }
        return out;
    }

    static Cost dotCost(KerasCall c, List<Shape> out) {
        int[] ax = dotAxes(c);
        if (ax == null || out.isEmpty()) {
            return Cost.UNKNOWN;
        }
        Count macs = Shapes.elements(out.get(0)).times(Count.of(c.in().get(0).dim(ax[0])));
        Count other = c.flag("normalize", false)
                ? Shapes.elements(c.in().get(0)).plus(Shapes.elements(c.in().get(1))).times(3) : Count.ZERO;
        return Cost.of(macs, other);
    }

    /** Activation layers: 1 FLOP per element, softmax 3, a linear Activation 0. */
    static Cost activationCost(KerasCall c, List<Shape> out) {
        Count e = out.isEmpty() ? Count.UNKNOWN : Shapes.elements(out.get(0));
        long per = c.row().param("per", 1);
        if (c.row().className().equals("Activation")) {
            String a = c.attrs().getString("activation", "");
            per = a.equals("softmax") ? 3 : a.equals("linear") ? 0 : 1;
        }
        return Cost.elementwise(e.times(per));
    }

    /** PReLU's alpha: the input's non-batch dims, 1 along shared_axes. */
    static void activationSizes(KerasCall c, Map<String, long[]> sizes) {
        Shape x = c.x();
        if (!hasDims(x)) {
            return;
        }
        long[] alpha = new long[x.rank() - 1];
        for (int i = 1; i < x.rank(); i++) {
            alpha[i - 1] = x.dim(i).valueOr(-1); // -1: a size nothing fixes (an unknown weight dim)
        }
        for (long a : c.attrs().getLongs("shared_axes").orElse(new long[0])) {
            if (a >= 1 && a < x.rank()) {
                alpha[(int) a - 1] = 1;
            }
        }
        sizes.put("ALPHA...", alpha);
    }

    /** Add, Subtract, ...: (inputs − 1) FLOPs per element, Average one more (the division). */
    static Cost mergeCost(KerasCall c, List<Shape> out) {
        Count e = out.isEmpty() ? Count.UNKNOWN : Shapes.elements(out.get(0));
        long per = Math.max(1, c.in().size() - 1) + c.row().param("extra", 0);
        return Cost.elementwise(e.times(per));
    }

    /** keras.applications' CustomScaleLayer (x + y·scale) and LayerScale (x·gamma): FLOPs per element. */
    static Cost scaleCost(KerasCall c, List<Shape> out) {
        return Cost.elementwise(Shapes.elements(c.x()).times(c.row().param("per", 1)));
    }

    /** BatchNormalization, Normalization, Rescaling: a multiply and an add per element. */
    static Cost affineNormCost(KerasCall c, List<Shape> out) {
        return Cost.elementwise(Shapes.elements(c.x()).times(2));
    }

    /** Layer, Group, RMS and Unit normalisation: statistics, then scale and shift, per element. */
    static Cost statNormCost(KerasCall c, List<Shape> out) {
        return Cost.elementwise(Shapes.elements(c.x()).times(NormRules.STATISTICS + 2));
    }

    /** The sizes of the normalised axes (AXIS...), from the axis attribute (an int or a list). */
    static void normSizes(KerasCall c, Map<String, long[]> sizes) {
        Shape x = c.x();
        if (c.attrs().values().containsKey("axis") && c.attrs().values().get("axis") == null) {
            sizes.put("AXIS...", new long[0]); // axis None: one statistic for the whole tensor
            return;
        }
        long[] axes = c.attrs().getLongs("axis").orElse(new long[] {c.num("axis", -1)});
        long[] dims = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int ax = !x.rankKnown() ? -1 : (int) (axes[i] < 0 ? x.rank() + axes[i] : axes[i]);
            dims[i] = ax < 0 || ax >= x.rank() ? -1 : x.dim(ax).valueOr(-1);
        }
        sizes.put("AXIS...", dims);
        sizes.put("in", new long[] {KerasCall.size(x, -1)});
    }
}
