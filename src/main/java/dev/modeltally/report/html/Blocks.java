package dev.modeltally.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Folds a long list of layers into at most {@code max} bars for a chart. Consecutive layers whose
 * names share a prefix become one block, at the deepest prefix length that still gives few enough
 * blocks. Names are split at {@code / . :} first ({@code /model/layers.3/mlp/...} groups by
 * transformer layer or sub-block), then also at {@code _ -} ({@code block2_conv1} groups by VGG
 * block). When names do not group either way (auto-numbered {@code conv2d_17},
 * {@code batch_normalization_17}, ...), the items' keys are tried the same way (the first weight's
 * name: {@code transformer.h.3.attn.c_attn.weight} when the node is {@code node_Gemm_1017}), and
 * failing that, consecutive runs of equal size are used.
 */
final class Blocks {

    /** One bar: a single layer, or a block of consecutive layers. */
    record Bar(String label, String detail, long value, int layers) {
    }

    /** One named value in model order; {@code key} is another name to group by (a weight's). */
    record Item(String name, String key, long value) {
        Item(String name, long value) {
            this(name, name, value);
        }
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
        if (items.size() <= max) {
            List<Bar> bars = new ArrayList<>();
            for (Item it : items) {
                bars.add(new Bar(it.name(), it.name(), it.value(), 1));
            }
            return bars;
        }
        List<Bar> bars = byPrefix(items, max, Item::name);
        if (bars == null && items.stream().anyMatch(it -> !it.key().equals(it.name()))) {
            bars = byPrefix(items, max, Item::key);
        }
        return bars != null ? bars : byRuns(items, max);
    }

    /** Blocks by the deepest prefix of {@code key} that gives at most {@code max}, or null when none does. */
    private static List<Bar> byPrefix(List<Item> items, int max, Function<Item, String> key) {
        for (String separators : new String[] {STRUCTURAL, ALL}) {
            int best = 0;
            int deepest = maxTokens(items, separators, key);
            for (int depth = 1; depth <= deepest && runs(items, depth, separators, key) <= max; depth++) {
                best = depth;
            }
            if (best > 0 && runs(items, best, separators, key) >= MIN_BLOCKS) {
                return byPrefix(items, best, separators, key);
            }
        }
        return null;
    }

    private static List<Bar> byPrefix(List<Item> items, int depth, String separators, Function<Item, String> key) {
        List<Bar> bars = new ArrayList<>();
        String current = null;
        long sum = 0;
        int count = 0;
        String first = null;
        String last = null;
        for (Item it : items) {
            String p = prefix(key.apply(it), depth, separators);
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
    static int runs(List<Item> items, int depth, String separators, Function<Item, String> key) {
        int runs = 0;
        String previous = null;
        for (Item it : items) {
            String p = prefix(key.apply(it), depth, separators);
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

    private static int maxTokens(List<Item> items, String separators, Function<Item, String> key) {
        int max = 0;
        for (Item it : items) {
            String name = key.apply(it);
            int tokens = 0;
            boolean inToken = false;
            for (int i = 0; i < name.length(); i++) {
                boolean sep = separators.indexOf(name.charAt(i)) >= 0;
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
