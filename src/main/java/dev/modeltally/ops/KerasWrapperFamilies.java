package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.KerasLayer;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wrappers: the layer they hold ({@code layer: {class_name, config}}) gives the shape, weights and cost.
 * Bidirectional runs it twice (forward and backward parts) and merges; TimeDistributed applies it to
 * B·T rows; SpectralNormalization calls it as is and adds its power-iteration vector.
 */
final class KerasWrapperFamilies {

    private KerasWrapperFamilies() {
    }

    /** The wrapped layer as a call of its own, or null when its class has no family. */
    static KerasCall inner(KerasCall c, String key, List<Shape> in) {
        Object entry = c.attrs().get(key).orElse(null);
        String cls = KerasCall.className(entry);
        Attributes cfg = KerasCall.config(entry);
        KerasLayer row = KerasLayerTable.find(cls);
        if (row == null || cfg == null || KerasFamilies.get(row.family()) == null) {
            return null;
        }
        return new KerasCall(cls, row, cfg, in);
    }

    static KerasFamily family(KerasCall inner) {
        return KerasFamilies.get(inner.row().family());
    }

    static List<KerasExpect> weights(KerasCall inner, String part) {
        if (inner == null) {
            return null;
        }
        List<KerasExpect> e = KerasLayerRule.expected(inner.row(), family(inner), inner);
        if (e == null || part == null) {
            return e;
        }
        List<KerasExpect> out = new ArrayList<>();
        e.forEach(x -> out.add(x.inPart(part)));
        return out;
    }

    static final class Bidirectional implements KerasFamily {
        @Override
        public List<Shape> outputs(KerasCall c) {
            KerasCall f = inner(c, "layer", c.in());
            if (f == null) {
                return List.of(Shape.unknownRank());
            }
            Shape one = family(f).outputs(f).get(0);
            if (unmerged(c)) {
                return List.of(one, one); // merge_mode None: both directions' outputs
            }
            if (!c.text("merge_mode", "concat").equals("concat") || !one.rankKnown() || one.rank() == 0) {
                return List.of(one);
            }
            return List.of(KerasDenseFamilies.withLast(one, KerasCall.count(one, -1).times(2).asDim()));
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            KerasCall f = inner(c, "layer", c.in());
            if (f == null) {
                return Cost.UNKNOWN;
            }
            Cost one = family(f).cost(f, family(f).outputs(f));
            Count merge = unmerged(c) || c.text("merge_mode", "concat").equals("concat") || out.isEmpty() ? Count.ZERO
                    : Shapes.elements(out.get(0));
            return one.times(2).plus(Cost.elementwise(merge));
        }

        @Override
        public List<KerasExpect> innerWeights(KerasCall c) {
            List<KerasExpect> fw = weights(inner(c, "layer", c.in()), "forward");
            Attributes given = KerasCall.config(c.attrs().get("backward_layer").orElse(null));
            // Keras names the directions forward_<layer> and backward_<layer>; a given backward layer keeps its name
            String part = given == null ? "backward" : given.getString("name", "backward");
            List<KerasExpect> bw = weights(inner(c, given != null ? "backward_layer" : "layer", c.in()), part);
            if (fw == null || bw == null) {
                return null;
            }
            List<KerasExpect> out = new ArrayList<>(fw);
            out.addAll(bw);
            return out;
        }
    }

    /** merge_mode None (JSON null): the config says it, the default concat does not apply. */
    static boolean unmerged(KerasCall c) {
        return c.attrs().values().containsKey("merge_mode") && c.attrs().values().get("merge_mode") == null;
    }

    static final class TimeDistributed implements KerasFamily {
        /** [B, T, rest...] as the wrapped layer sees each step: [B, rest...]. */
        private static Shape step(Shape x) {
            if (!x.rankKnown() || x.rank() < 3) {
                return Shape.unknownRank();
            }
            List<Dim> d = new ArrayList<>();
            d.add(x.dim(0));
            d.addAll(x.dims().subList(2, x.rank()));
            return new Shape(d);
        }

        /** [B, T, rest...] as one batch of B·T rows. */
        static Shape mergeTime(Shape x) {
            if (!x.rankKnown() || x.rank() < 3) {
                return Shape.unknownRank();
            }
            List<Dim> d = new ArrayList<>();
            Dim b = x.dim(0);
            Dim t = x.dim(1);
            boolean symbolic = !(b instanceof Dim.Unknown) && !(t instanceof Dim.Unknown)
                    && (!b.isFixed() || !t.isFixed());
            d.add(symbolic ? DimMath.mul(b, t) : Count.product(b, t).asDim());
            d.addAll(x.dims().subList(2, x.rank()));
            return new Shape(d);
        }

        @Override
        public List<Shape> outputs(KerasCall c) {
            Shape x = c.x();
            KerasCall f = inner(c, "layer", List.of(step(x)));
            if (f == null || !x.rankKnown() || x.rank() < 3) {
                return List.of(Shape.unknownRank());
            }
            Shape o = family(f).outputs(f).get(0);
            if (!o.rankKnown() || o.rank() < 1) {
                return List.of(Shape.unknownRank());
            }
            List<Dim> d = new ArrayList<>(List.of(x.dim(0), x.dim(1)));
            d.addAll(o.dims().subList(1, o.rank()));
            return List.of(new Shape(d));
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            KerasCall f = inner(c, "layer", List.of(mergeTime(c.x())));
            if (f == null || out.isEmpty()) {
                return Cost.UNKNOWN;
            }
            return family(f).cost(f, List.of(mergeTime(out.get(0))));
        }

        @Override
        public List<KerasExpect> innerWeights(KerasCall c) {
            return weights(inner(c, "layer", List.of(step(c.x()))), null);
        }
    }

    static final class SpectralNormalization implements KerasFamily {
        @Override
        public List<Shape> outputs(KerasCall c) {
            KerasCall f = inner(c, "layer", c.in());
            return f == null ? List.of(Shape.unknownRank()) : family(f).outputs(f);
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            KerasCall f = inner(c, "layer", c.in());
            return f == null ? Cost.UNKNOWN : family(f).cost(f, out);
        }

        /** vector_u is (1, the last dim of the wrapped kernel). */
        @Override
        public void sizes(KerasCall c, Map<String, long[]> sizes) {
            List<KerasExpect> w = innerWeights(c);
            Shape k = w == null || w.isEmpty() ? Shape.unknownRank() : w.get(0).shape();
            sizes.put("kernel_last", new long[] {KerasCall.size(k, -1)});
        }

        @Override
        public List<KerasExpect> innerWeights(KerasCall c) {
            return weights(inner(c, "layer", c.in()), null);
        }
    }
}
