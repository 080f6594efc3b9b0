package dev.modeltally.ops;

import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EinsumDense as Keras's {@code _analyze_einsum_string} reads it: {@code input,weight->output} with an
 * optional leading or trailing {@code ...}; output_shape excludes the batch dim and may say None for a
 * size the input fixes (taken from the input, as the call computes it). MACs: the product of the sizes
 * of every letter of the input and kernel specs (elided dims included), as an einsum contracts them.
 */
final class KerasEinsumDense implements KerasFamily {

    /** The analysed equation for one input shape; sizes -1 where unknown. */
    record Plan(long[] output, long[] kernel, long[] bias, Count macs) {
    }

    @Override
    public List<Shape> outputs(KerasCall c) {
        Plan p = plan(c);
        return List.of(p == null ? Shape.unknownRank() : Shapes.ofSizes(p.output()));
    }

    @Override
    public void sizes(KerasCall c, Map<String, long[]> sizes) {
        Plan p = plan(c);
        if (p != null) {
            sizes.put("KERNEL...", p.kernel());
            if (p.bias() != null) {
                sizes.put("BIAS...", p.bias());
            }
        }
    }

    @Override
    public Cost cost(KerasCall c, List<Shape> out) {
        Plan p = plan(c);
        Count ye = out.isEmpty() ? Count.UNKNOWN : Shapes.elements(out.get(0));
        if (p == null || !ye.known()) {
            return Cost.UNKNOWN;
        }
        Count other = (p.bias() == null ? Count.ZERO : ye).plus(KerasConvFamilies.activation(c, ye));
        return Cost.of(p.macs(), other);
    }

    static Plan plan(KerasCall c) {
        String eq = c.text("equation", "").replace(" ", "");
        Shape x = c.x();
        int arrow = eq.indexOf("->");
        int comma = eq.indexOf(',');
        if (!x.rankKnown() || arrow < 0 || comma < 0 || comma > arrow) {
            return null;
        }
        String in = eq.substring(0, comma);
        String w = eq.substring(comma + 1, arrow);
        String out = eq.substring(arrow + 2);
        boolean left = in.startsWith("...") && out.startsWith("...");
        boolean right = !left && in.endsWith("...") && out.endsWith("...");
        in = in.replace("...", "");
        out = out.replace("...", "");
        if (w.contains("...") || (eq.contains("...") && !left && !right)) {
            return null;
        }
        int elided = x.rank() - in.length();
        if (elided < 0 || (elided > 0 && !left && !right)) {
            return null;
        }
        long[] xs = KerasDims.sizesOf(x);
        List<Long> given = new ArrayList<>();
        Object os = c.attr("output_shape");
        if (os instanceof Number n) {
            given.add(n.longValue());
        } else if (os instanceof List<?> l) {
            l.forEach(v -> given.add(v instanceof Number n ? n.longValue() : -1L));
        } else {
            return null;
        }
        // the output: batch, the left-elided dims, the given sizes, the right-elided dims
        List<Long> full = new ArrayList<>();
        full.add(xs[0]);
        if (left) {
            for (int i = 1; i < elided; i++) {
                full.add(xs[i]);
            }
        }
        full.addAll(given);
        if (right) {
            for (int i = x.rank() - elided; i < x.rank(); i++) {
                full.add(xs[i]);
            }
        }
        int inOffset = left ? elided : 0;
        int outOffset = left ? elided : 0;
        if (full.size() != out.length() + elided) {
            return null;
        }
        long[] output = new long[full.size()];
        for (int i = 0; i < output.length; i++) {
            output[i] = full.get(i);
        }
        for (int i = 0; i < out.length(); i++) {
            int at = in.indexOf(out.charAt(i));
            if (at >= 0) {
                output[i + outOffset] = xs[at + inOffset]; // a None the input decides
            }
        }
        long[] kernel = new long[w.length()];
        Set<Character> letters = new LinkedHashSet<>();
        Count macs = Count.ONE;
        for (int i = 0; i < w.length(); i++) {
            char ch = w.charAt(i);
            int ai = in.indexOf(ch);
            int ao = out.indexOf(ch);
            kernel[i] = ai >= 0 ? xs[ai + inOffset] : ao >= 0 ? output[ao + outOffset] : -1;
        }
        for (int i = 0; i < in.length(); i++) {
            if (letters.add(in.charAt(i))) {
                macs = macs.times(xs[i + inOffset]);
            }
        }
        for (int i = 0; i < w.length(); i++) {
            if (letters.add(w.charAt(i))) {
                macs = macs.times(kernel[i]);
            }
        }
        for (int i = 0; i < elided; i++) {
            macs = macs.times(left ? xs[i] : xs[x.rank() - elided + i]);
        }
        return new Plan(output, kernel, bias(c, out, output, outOffset, left ? 0 : elided), macs);
    }

    /** The bias spans the output from its first bias axis on, 1 where an axis has no bias. */
    private static long[] bias(KerasCall c, String out, long[] output, int outOffset, int trailing) {
        String axes = c.text("bias_axes", "");
        if (axes.isEmpty() || axes.equals("None")) {
            return null;
        }
        int first = out.length();
        for (char ch : axes.toCharArray()) {
            int at = out.indexOf(ch);
            if (at < 0) {
                return null;
            }
            first = Math.min(first, at);
        }
        long[] b = new long[out.length() - first + trailing];
        for (int i = first; i < out.length(); i++) {
            b[i - first] = axes.indexOf(out.charAt(i)) >= 0 ? output[i + outOffset] : 1;
        }
        for (int i = out.length() - first; i < b.length; i++) {
            b[i] = 1;
        }
        return b;
    }
}
