package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Einsum. Output shape from the equation (explicit "->" or implicit: letters seen once, sorted;
 * an ellipsis broadcasts). MACs: operands contracted pairwise from the left, each step costing the
 * product of the sizes of every letter of the two operands — for two operands the product of every
 * letter, which is what torch counts after decomposing einsum into bmm.
 */
final class EinsumRule {

    /** The ellipsis' dims get the pseudo-letters '0', '1', ... (never legal einsum letters). */
    private static final char FIRST_ELLIPSIS = '0';

    private EinsumRule() {
    }

    static OpResult apply(OpContext c) {
        String eq = c.attrs().getString("equation", "").replace(" ", "");
        int n = c.inputCount();
        String[] sides = eq.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        if (terms.length != n || sides.length > 2) {
            return OpResult.builder().output(Tensor.UNKNOWN).problem("equation '" + eq + "' does not match "
                    + n + " inputs").build();
        }
        int ellipsisRank = 0;
        for (int i = 0; i < n; i++) {
            Tensor t = c.input(i);
            if (!t.rankKnown()) {
                return OpResult.builder().output(Tensor.of(c.input(0).dtype(), Shape.unknownRank())).build();
            }
            if (terms[i].contains("...")) {
                ellipsisRank = Math.max(ellipsisRank, t.rank() - (terms[i].length() - 3));
            }
        }
        Map<Character, Dim> size = new LinkedHashMap<>();
        List<String> expanded = new ArrayList<>();
        OpResult.Builder out = OpResult.builder();
        for (int i = 0; i < n; i++) {
            Tensor t = c.input(i);
            String term = expand(terms[i], t.rank(), ellipsisRank);
            if (term == null || term.length() != t.rank()) {
                return out.output(Tensor.UNKNOWN).problem("term '" + terms[i] + "' does not match rank " + t.rank())
                        .build();
            }
            expanded.add(term);
            for (int k = 0; k < term.length(); k++) {
                char ch = term.charAt(k);
                Dim d = t.dim(k);
                Dim prev = size.get(ch);
                if (prev == null || DimMath.isOne(prev)) {
                    size.put(ch, d);
                } else if (!DimMath.isOne(d)) {
                    if (DimMath.conflict(prev, d)) {
                        out.problem("letter '" + ch + "' has sizes " + prev + " and " + d);
                    }
                    size.put(ch, DimMath.unify(prev, d));
                }
            }
        }
        String output;
        if (sides.length == 2) {
            output = expand(sides[1], -1, ellipsisRank);
        } else {
            StringBuilder sb = new StringBuilder();
            for (int e = 0; e < ellipsisRank; e++) {
                sb.append((char) (FIRST_ELLIPSIS + e));
            }
            size.keySet().stream().filter(ch -> Character.isLetter(ch) && count(expanded, ch) == 1).sorted()
                    .forEach(sb::append);
            output = sb.toString();
        }
        if (output == null) {
            return out.output(Tensor.UNKNOWN).build();
        }
        List<Dim> dims = new ArrayList<>();
        for (char ch : output.toCharArray()) {
            dims.add(size.getOrDefault(ch, Dim.UNKNOWN));
        }
        Tensor y = Tensor.of(c.input(0).dtype(), new Shape(dims));
        return out.output(y).macs(macs(expanded, output, size)).other(n == 1 ? reduction(expanded, output, c) : Count.ZERO)
                .build();
    }

    private static Count macs(List<String> terms, String output, Map<Character, Dim> size) {
        if (terms.size() < 2) {
            return Count.ZERO;
        }
        Count total = Count.ZERO;
        Set<Character> current = letters(terms.get(0));
        for (int i = 1; i < terms.size(); i++) {
            Set<Character> all = new LinkedHashSet<>(current);
            all.addAll(letters(terms.get(i)));
            Count step = Count.ONE;
            for (char ch : all) {
                step = step.times(Count.of(size.get(ch)));
            }
            total = total.plus(step);
            Set<Character> needed = letters(output);
            for (int j = i + 1; j < terms.size(); j++) {
                needed.addAll(letters(terms.get(j)));
            }
            all.retainAll(needed);
            current = all;
        }
        return total;
    }

    /** A single-operand einsum that sums letters away adds once per input element. */
    private static Count reduction(List<String> terms, String output, OpContext c) {
        return letters(output).containsAll(letters(terms.get(0))) ? Count.ZERO : c.input(0).elements();
    }

    private static String expand(String term, int rank, int ellipsisRank) {
        int at = term.indexOf("...");
        if (at < 0) {
            return term;
        }
        int here = rank < 0 ? ellipsisRank : rank - (term.length() - 3);
        if (here < 0 || here > ellipsisRank) {
            return null;
        }
        StringBuilder sb = new StringBuilder(term.substring(0, at));
        for (int e = ellipsisRank - here; e < ellipsisRank; e++) {
            sb.append((char) (FIRST_ELLIPSIS + e));
        }
        return sb.append(term.substring(at + 3)).toString();
    }

    private static Set<Character> letters(String s) {
        Set<Character> out = new LinkedHashSet<>();
        for (char ch : s.toCharArray()) {
            out.add(ch);
        }
        return out;
    }

    private static int count(List<String> terms, char ch) {
        int k = 0;
        for (String t : terms) {
            for (char x : t.toCharArray()) {
                if (x == ch) {
                    k++;
                }
            }
        }
        return k;
    }
}
