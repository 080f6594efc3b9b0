package dev.modeltally.report.html;

import java.util.ArrayList;
import java.util.List;

/**
 * Folds a long list of layers into at most {@code max} bars for a chart. Consecutive layers whose
 * names share a prefix become one block, at the deepest prefix length that still gives few enough
 * blocks. Names are split at {@code / . :} first ({@code /model/layers.3/mlp/...} groups by
 * transformer layer or sub-block), then also at {@code _ -} ({@code block2_conv1} groups by VGG
 * block). When names do not group either way (auto-numbered {@code conv2d_17},
 * {@code batch_normalization_17}, ...), consecutive runs of equal size are used.
 */
final class Blocks {

    /** One bar: a single layer, or a block of consecutive layers. */
    record Bar(String label, String detail, long value, int layers) {
    }

    /** One named value in model order. */
    record Item(String name, long value) {
    }

    private static final String STRUCTURAL = "/.:";
    private static final String ALL = "/.:_-";
    /** Fewer blocks than this says little about a deep model; equal runs say more. */
    private static final int MIN_BLOCKS = 4;

    private Blocks() {
    }

    /** Whether {@link #of} folded layers together, i.e. there were more than {@code max}. */
    static boolean folds(List<Item> items, int max) {
        return items.size() > max;
    }

    static List<Bar> of(List<Item> items, int max) {
        List<Bar> bars = new ArrayList<>();
        if (items.size() <= max) {
            for (Item it : items) {
                bars.add(new Bar(it.name(), it.name(), it.value(), 1));
            }
            return bars;
        }
        for (String separators : new String[] {STRUCTURAL, ALL}) {
            int best = 0;
            int deepest = maxTokens(items, separators);
            for (int depth = 1; depth <= deepest && runs(items, depth, separators) <= max; depth++) {
                best = depth;
            }
            if (best > 0 && runs(items, best, separators) >= MIN_BLOCKS) {
                return byPrefix(items, best, separators);
            }
        }
        return byRuns(items, max);
    }

    private static List<Bar> byPrefix(List<Item> items, int depth, String separators) {
        List<Bar> bars = new ArrayList<>();
        String current = null;
        long sum = 0;
        int count = 0;
        String first = null;
        String last = null;
        for (Item it : items) {
            String p = prefix(it.name(), depth, separators);
            if (current != null && !p.equals(current)) {
                bars.add(block(current, first, last, sum, count));
                sum = 0;
                count = 0;
            }
            if (count == 0) {
                first = it.name();
            }
            current = p;
            sum = saturatingAdd(sum, it.value());
            count++;
            last = it.name();
        }
        if (current != null) {
            bars.add(block(current, first, last, sum, count));
        }
        return bars;
    }

    private static Bar block(String prefix, String first, String last, long sum, int count) {
        String detail = count == 1 ? first : prefix + " (" + count + " layers: " + first + " … " + last + ")";
        return new Bar(prefix, detail, sum, count);
    }

    private static List<Bar> byRuns(List<Item> items, int max) {
        int size = (items.size() + max - 1) / max;
        List<Bar> bars = new ArrayList<>();
        for (int start = 0; start < items.size(); start += size) {
            int end = Math.min(items.size(), start + size);
            long sum = 0;
            for (Item it : items.subList(start, end)) {
                sum = saturatingAdd(sum, it.value());
            }
            String first = items.get(start).name();
            String last = items.get(end - 1).name();
            String label = end - start == 1 ? first : first + " … " + last;
            String detail = "layers " + (start + 1) + "–" + end + " (" + first + " … " + last + ")";
            bars.add(new Bar(label, detail, sum, end - start));
        }
        return bars;
    }

    /** How many runs of consecutive equal prefixes of {@code depth} tokens there are. */
    static int runs(List<Item> items, int depth, String separators) {
        int runs = 0;
        String previous = null;
        for (Item it : items) {
            String p = prefix(it.name(), depth, separators);
            if (!p.equals(previous)) {
                runs++;
            }
            previous = p;
        }
        return runs;
    }

    /** The name up to the end of its {@code depth}-th token (the whole name when it has fewer). */
    static String prefix(String name, int depth, String separators) {
        int tokens = 0;
        boolean inToken = false;
        for (int i = 0; i < name.length(); i++) {
            boolean sep = separators.indexOf(name.charAt(i)) >= 0;
            if (sep && inToken && ++tokens == depth) {
                return name.substring(0, i);
            }
            inToken = !sep;
        }
        return name;
    }

    private static int maxTokens(List<Item> items, String separators) {
        int max = 0;
        for (Item it : items) {
            int tokens = 0;
            boolean inToken = false;
            for (int i = 0; i < it.name().length(); i++) {
                boolean sep = separators.indexOf(it.name().charAt(i)) >= 0;
                if (!sep && !inToken) {
                    tokens++;
                }
                inToken = !sep;
            }
            max = Math.max(max, tokens);
        }
        return max;
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
    }
}
