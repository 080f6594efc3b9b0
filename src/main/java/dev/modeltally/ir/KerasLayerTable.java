package dev.modeltally.ir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Keras layer table, {@code keras-layers.txt} beside this class: one row per built-in Keras class
 * (aliases, rule family, defaults, the variables build() makes). The readers take variable names,
 * trainable flags and "is this class part of Keras" from it; the op rules take shapes, weights and
 * cost families. Parsed once, on first use (a lazy holder: nothing is read when the IR loads).
 */
public final class KerasLayerTable {

    /** The node domain of Keras layer calls. */
    public static final String DOMAIN = "keras";

    private static final class Rows {
        static final Map<String, KerasLayer> BY_NAME;
        static final List<KerasLayer> ALL;

        static {
            List<KerasLayer> rows = parse(read());
            Map<String, KerasLayer> m = new HashMap<>();
            for (KerasLayer r : rows) {
                m.put(r.className(), r);
                r.aliases().forEach(a -> m.putIfAbsent(a, r));
            }
            BY_NAME = Map.copyOf(m);
            ALL = List.copyOf(rows);
        }
    }

    private KerasLayerTable() {
    }

    /** The row of a class (by its name or an alias), or null for a class that is not part of Keras. */
    public static KerasLayer find(String className) {
        return className == null ? null : Rows.BY_NAME.get(className);
    }

    public static boolean isBuiltin(String className) {
        return find(className) != null;
    }

    /** Every row, in table order. */
    public static List<KerasLayer> rows() {
        return Rows.ALL;
    }

    private static List<String> read() {
        List<String> lines = new ArrayList<>();
        try (InputStream in = KerasLayerTable.class.getResourceAsStream("keras-layers.txt")) {
            if (in == null) {
                throw new IllegalStateException("keras-layers.txt missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    static List<KerasLayer> parse(List<String> lines) {
        List<KerasLayer> rows = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String family = KerasLayer.NO_RULE;
            List<String> aliases = List.of();
            Map<String, String> defaults = new LinkedHashMap<>();
            List<KerasWeight> weights = new ArrayList<>();
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalStateException("keras-layers.txt: '" + fields[i] + "' in row " + fields[0]);
                }
                String key = fields[i].substring(0, eq);
                String value = fields[i].substring(eq + 1);
                switch (key) {
                    case "family" -> family = value;
                    case "aliases" -> aliases = Arrays.asList(value.split(","));
                    case "defaults" -> {
                        for (String kv : value.split(",")) {
                            int c = kv.indexOf(':');
                            defaults.put(kv.substring(0, c), kv.substring(c + 1));
                        }
                    }
                    case "weights" -> {
                        for (String w : value.split(";")) {
                            weights.add(weight(w, fields[0]));
                        }
                    }
                    default -> params.put(key, value);
                }
            }
            rows.add(new KerasLayer(fields[0], aliases, family, defaults, weights, params));
        }
        return rows;
    }

    /** {@code [~][=]role[|oldrole][@part][?cond[&cond]]:[dim,...]}. */
    private static KerasWeight weight(String spec, String row) {
        int colon = spec.indexOf(":[");
        if (colon < 0 || !spec.endsWith("]")) {
            throw new IllegalStateException("keras-layers.txt: weight '" + spec + "' in row " + row);
        }
        String head = spec.substring(0, colon);
        String body = spec.substring(colon + 2, spec.length() - 1);
        boolean trainable = true;
        boolean alias = false;
        while (head.startsWith("~") || head.startsWith("=")) {
            trainable &= !head.startsWith("~");
            alias |= head.startsWith("=");
            head = head.substring(1);
        }
        List<String> conditions = List.of();
        int q = head.indexOf('?');
        if (q >= 0) {
            conditions = Arrays.asList(head.substring(q + 1).split("&"));
            head = head.substring(0, q);
        }
        String part = null;
        int at = head.indexOf('@');
        if (at >= 0) {
            part = head.substring(at + 1);
            head = head.substring(0, at);
        }
        List<String> dims = body.isEmpty() ? List.of() : Arrays.asList(body.split(","));
        return new KerasWeight(Arrays.asList(head.split("\\|")), part, conditions, trainable, alias, dims);
    }
}
