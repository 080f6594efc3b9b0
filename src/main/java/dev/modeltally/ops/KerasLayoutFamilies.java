package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras layers that move or select data without arithmetic (Flatten, Reshape, Permute, RepeatVector,
 * Concatenate, padding, cropping, upsampling, resizing, lookups), and elementwise comparisons, as
 * Keras's compute_output_shape defines them. Shapes are batch-first; the batch dim passes through.
 */
final class KerasLayoutFamilies {

    private KerasLayoutFamilies() {
    }

    static List<Shape> same(KerasCall c) {
        return List.of(c.x());
    }

    static Cost free(KerasCall c, List<Shape> out) {
        return Cost.FREE;
    }

    /** One FLOP per output element (NotEqual, Equal). */
    static Cost perElement(KerasCall c, List<Shape> out) {
        return Cost.elementwise(out.isEmpty() ? Count.UNKNOWN : Shapes.elements(out.get(0)));
    }

    static List<Shape> flatten(KerasCall c) {
        return List.of(flatten(c.x()));
    }

    static Shape flatten(Shape x) {
        if (!x.rankKnown() || x.rank() == 0) {
            return Shape.unknownRank();
        }
        Count n = Count.ONE;
        for (int i = 1; i < x.rank(); i++) {
            Count v = Count.of(x.dim(i));
            if (!v.known()) {
                // a symbolic size (a free sequence length or image size) multiplies in
                List<Dim> rest = Shapes.dims(x, 1, x.rank());
                boolean unknown = rest.stream().anyMatch(r -> r instanceof Dim.Unknown);
                return new Shape(List.of(x.dim(0), unknown ? Dim.UNKNOWN : DimMath.product(rest)));
            }
            n = n.times(v);
        }
        return new Shape(List.of(x.dim(0), n.asDim()));
    }

    static List<Shape> reshape(KerasCall c) {
        Shape x = c.x();
        long[] target = c.attrs().getLongs("target_shape").orElse(null);
        if (target == null || !x.rankKnown() || x.rank() == 0) {
            return List.of(Shape.unknownRank());
        }
        List<Dim> d = new ArrayList<>();
        d.add(x.dim(0));
        Count known = Count.ONE;
        int free = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] < 0) {
                free = i;
                d.add(Dim.UNKNOWN);
            } else {
                known = known.times(target[i]);
                d.add(Dim.of(target[i]));
            }
        }
        if (free >= 0) {
            Dim all = flatten(x).dim(1);
            long k = known.orElse(0);
            if (all instanceof Dim.Symbolic && k > 0) {
                Dim q = DimMath.div(all, Dim.of(k)); // integer division, as Keras's own -1
                d.set(free + 1, q instanceof Dim.Unknown ? DimMath.floorDiv(all, k) : q);
                return List.of(new Shape(d));
            }
            Count total = Count.of(all);
            d.set(free + 1, total.div(k).asDim());
        }
        return List.of(new Shape(d));
    }

    static List<Shape> permute(KerasCall c) {
        Shape x = c.x();
        long[] dims = c.attrs().getLongs("dims").orElse(null);
        if (dims == null || !x.rankKnown() || dims.length != x.rank() - 1) {
            return List.of(Shape.unknownRank());
        }
        List<Dim> d = new ArrayList<>();
        d.add(x.dim(0));
        for (long i : dims) {
            d.add(i >= 1 && i < x.rank() ? x.dim((int) i) : Dim.UNKNOWN);
        }
        return List.of(new Shape(d));
    }

    static List<Shape> repeat(KerasCall c) {
        Shape x = c.x();
        if (!x.rankKnown() || x.rank() != 2) {
            return List.of(Shape.unknownRank());
        }
        return List.of(new Shape(List.of(x.dim(0), KerasCall.dim(c.num("n", -1)), x.dim(1))));
    }

    static List<Shape> concat(KerasCall c) {
        Shape x = c.x();
        if (!x.rankKnown()) {
            return List.of(Shape.unknownRank());
        }
        long axis = c.num("axis", -1);
        int ax = (int) (axis < 0 ? x.rank() + axis : axis);
        if (ax <= 0 || ax >= x.rank()) {
            return List.of(Shape.unknownRank());
        }
        Count sum = Count.ZERO;
        Dim symbolic = Dim.of(0);
        for (Shape s : c.in()) {
            boolean same = s.rankKnown() && s.rank() == x.rank();
            sum = sum.plus(same ? Count.of(s.dim(ax)) : Count.UNKNOWN);
            symbolic = same ? DimMath.add(symbolic, s.dim(ax)) : Dim.UNKNOWN;
        }
        List<Dim> d = new ArrayList<>(x.dims());
        d.set(ax, !sum.known() && symbolic instanceof Dim.Symbolic ? symbolic : sum.asDim());
        return List.of(new Shape(d));
    }

    static List<Shape> pad(KerasCall c) {
        return List.of(KerasSpatialShapes.resize(c.x(), c.attrs(), c.spatialRank(), "padding",
                v -> new long[] {1, v[0] + v[1]}));
    }

    static List<Shape> crop(KerasCall c) {
        return List.of(KerasSpatialShapes.resize(c.x(), c.attrs(), c.spatialRank(), "cropping",
                v -> new long[] {1, -v[0] - v[1]}));
    }

    static List<Shape> upsample(KerasCall c) {
        return List.of(KerasSpatialShapes.resize(c.x(), c.attrs(), c.spatialRank(), "size", v -> new long[] {v[0], 0}));
    }

    /** Resizing, CenterCrop, RandomCrop (at inference): the image to (height, width). */
    static List<Shape> resize(KerasCall c) {
        Shape x = c.x();
        if (!x.rankKnown() || x.rank() < 3) {
            return List.of(Shape.unknownRank());
        }
        List<Dim> d = new ArrayList<>(x.dims());
        int h = c.channelsFirst() ? x.rank() - 2 : x.rank() - 3;
        d.set(h, KerasCall.dim(c.num("height", -1)));
        d.set(h + 1, KerasCall.dim(c.num("width", -1)));
        return List.of(new Shape(d));
    }

    /** Resizing interpolates: per output element, the taps of its interpolation (bilinear 4 multiply-adds). */
    static Cost resizeCost(KerasCall c, List<Shape> out) {
        if (!c.row().className().equals("Resizing")) {
            return Cost.FREE; // crops copy
        }
        Count e = out.isEmpty() ? Count.UNKNOWN : Shapes.elements(out.get(0));
        long per = switch (c.text("interpolation", "bilinear")) {
            case "nearest" -> 0;
            case "bilinear" -> 8;
            default -> -1;
        };
        return per < 0 ? Cost.UNKNOWN : Cost.elementwise(e.times(per));
    }

    /** IntegerLookup, StringLookup, Hashing, Discretization: indices of the same shape (output_mode int). */
    static List<Shape> lookup(KerasCall c) {
        String mode = c.text("output_mode", "int");
        String cls = c.row().className();
        if (mode.equals("int") && cls.equals("TextVectorization")) {
            Shape x = c.x(); // one string per row, split into output_sequence_length tokens
            long len = c.num("output_sequence_length", -1);
            return List.of(x.rankKnown() && x.rank() > 0 ? new Shape(List.of(x.dim(0), KerasCall.dim(len)))
                    : Shape.unknownRank());
        }
        if (mode.equals("int")) {
            return List.of(c.x());
        }
        long n = cls.equals("Hashing") || cls.equals("HashedCrossing") ? c.num("num_bins", -1)
                : cls.equals("Discretization") ? bins(c)
                : cls.equals("TextVectorization") ? c.num("max_tokens", -1) : c.num("vocabulary_size", -1);
        return List.of(encoded(c.x(), mode, n));
    }

    private static long bins(KerasCall c) {
        long[] b = c.attrs().getLongs("bin_boundaries").orElse(null);
        return b != null ? b.length + 1 : c.num("num_bins", -1);
    }

    static List<Shape> categoryEncoding(KerasCall c) {
        return List.of(encoded(c.x(), c.text("output_mode", "multi_hot"), c.num("num_tokens", -1)));
    }

    /** Keras's encode_categorical_inputs: one_hot appends (or replaces a last dim of 1); the others reduce it. */
    private static Shape encoded(Shape x, String mode, long n) {
        if (!x.rankKnown() || x.rank() == 0) {
            return Shape.unknownRank();
        }
        List<Dim> d = new ArrayList<>(x.dims());
        if (x.rank() == 1) {
            d.add(KerasCall.dim(n));
        } else if (mode.equals("one_hot") && !(x.dim(x.rank() - 1) instanceof Dim.Fixed f && f.value() == 1)) {
            d.add(KerasCall.dim(n));
        } else {
            d.set(d.size() - 1, KerasCall.dim(n));
        }
        return new Shape(d);
    }

    /** NotEqual, Equal: the broadcast of the tensor inputs (a constant operand is in the config). */
    static List<Shape> compare(KerasCall c) {
        if (c.in().isEmpty()) {
            return List.of(Shape.unknownRank());
        }
        return List.of(Shapes.broadcast(c.in(), new ArrayList<>()));
    }
}
