package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Resize and Upsample: output size from "sizes" when given, else floor(input · scale). No MACs;
 * other FLOPs: 0 for nearest, 2 per output element per resized axis for linear and cubic modes
 * (one interpolation step per axis).
 */
final class ResizeRules {

    private ResizeRules() {
    }

    /**
     * Resize-18 keep_aspect_ratio_policy: one scale for the given axes, the smallest (not_larger)
     * or largest (not_smaller) of sizes[i] / in[i]; each output is round-half-up(scale · in[i]).
     */
    private static void keepAspectRatio(List<Dim> dims, int[] ax, List<SymInt> sizes, boolean largest) {
        double scale = Double.NaN;
        for (int i = 0; i < ax.length; i++) {
            long in = Count.of(dims.get(ax[i])).orElse(0);
            double s = sizes.get(i).number();
            if (in <= 0 || Double.isNaN(s)) {
                for (int a : ax) {
                    dims.set(a, Dim.UNKNOWN);
                }
                return;
            }
            double r = s / in;
            scale = Double.isNaN(scale) ? r : largest ? Math.max(scale, r) : Math.min(scale, r);
        }
        for (int a : ax) {
            dims.set(a, Dim.of((long) Math.floor(scale * Count.of(dims.get(a)).value() + 0.5)));
        }
    }

    static OpResult resize(OpContext c) {
        Tensor x = c.input(0);
        boolean upsample = c.node().opType().equals("Upsample");
        int scalesIn = upsample ? 1 : (c.opset() > 0 && c.opset() < 11 ? 1 : 2);
        int sizesIn = upsample || scalesIn == 1 ? -1 : 3;
        if (!x.rankKnown()) {
            return OpResult.builder().output(Tensor.of(x.dtype(), Shape.unknownRank())).build();
        }
        int r = x.rank();
        long[] axes = c.attrs().getLongs("axes").orElse(null);
        int[] ax = new int[axes == null ? r : axes.length];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = axes == null ? i : Shapes.axis(axes[i], r);
            if (ax[i] < 0) {
                return OpResult.builder().output(Tensor.of(x.dtype(), Shapes.unknownDims(r))).build();
            }
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        List<SymInt> sizes = sizesIn >= 0 && c.present(sizesIn) ? c.input(sizesIn).values() : null;
        List<SymInt> scales = null;
        if (c.present(scalesIn) && !c.input(scalesIn).elements().isZero()) {
            scales = c.input(scalesIn).values();
        } else if (upsample && c.attrs().values().get("scales") instanceof List<?> l) {
            scales = new ArrayList<>(); // Upsample-7: scales as an attribute
            for (Object o : l) {
                scales.add(o instanceof Number n ? new SymInt.Real(n.doubleValue()) : SymInt.UNKNOWN);
            }
        } else if (upsample && r == 4 && c.attrs().has("height_scale") && c.attrs().has("width_scale")) {
            // Upsample-1 (experimental): NCHW with height_scale and width_scale
            scales = List.of(new SymInt.Real(1), new SymInt.Real(1),
                    new SymInt.Real(c.attrs().getDouble("height_scale", 1)),
                    new SymInt.Real(c.attrs().getDouble("width_scale", 1)));
        }
        boolean sizesGiven = sizesIn >= 0 && c.present(sizesIn);
        String policy = c.attrs().getString("keep_aspect_ratio_policy", "stretch");
        if (sizesGiven && sizes != null && sizes.size() == ax.length && policy.equals("stretch")) {
            for (int i = 0; i < ax.length; i++) {
                dims.set(ax[i], sizes.get(i).toDim());
            }
        } else if (sizesGiven && sizes != null && sizes.size() == ax.length) {
            keepAspectRatio(dims, ax, sizes, policy.equals("not_smaller"));
        } else if (!sizesGiven && scales != null && scales.size() == ax.length) {
            for (int i = 0; i < ax.length; i++) {
                double s = scales.get(i).number();
                Dim d = dims.get(ax[i]);
                dims.set(ax[i], d instanceof Dim.Fixed f && s >= 0 && !Double.isNaN(s)
                        ? Dim.of((long) Math.floor(f.value() * s + 1e-9)) : (s == 1.0 ? d : scaled(d, s)));
            }
        } else {
            for (int a : ax) {
                dims.set(a, Dim.UNKNOWN);
            }
        }
        Shape y = new Shape(dims);
        String mode = c.attrs().getString("mode", "nearest").toLowerCase(java.util.Locale.ROOT);
        int resized = 0;
        for (int a : ax) {
            if (!x.dim(a).equals(y.dim(a))) {
                resized++;
            }
        }
        Count other = mode.equals("nearest") ? Count.ZERO : Shapes.elements(y).times(2L * resized);
        return OpResult.builder().output(Tensor.of(x.dtype(), y)).macs(0).other(other).build();
    }

    /**
     * ⌊n·s⌋ over a symbolic n, for a scale that is a fraction p/q with q up to 1000 (2, 0.5, 1.25):
     * ⌊p·n/q⌋; any other scale leaves the size Unknown.
     */
    static Dim scaled(Dim d, double s) {
        if (!(d instanceof Dim.Symbolic) || !(s > 0) || s > 1e6) {
            return Dim.UNKNOWN;
        }
        for (long q = 1; q <= 1000; q++) {
            double p = s * q;
            long pr = Math.round(p);
            if (Math.abs(p - pr) < 1e-9 * Math.max(1, p)) {
                return DimMath.floorDiv(DimMath.affine(d, pr, 0), q);
            }
        }
        return Dim.UNKNOWN;
    }
}
