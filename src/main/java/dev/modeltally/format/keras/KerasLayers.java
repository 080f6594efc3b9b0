package dev.modeltally.format.keras;

import dev.modeltally.ir.KerasLayer;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.KerasWeight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the readers need of the Keras layer table ({@link KerasLayerTable}): which classes ship with
 * Keras, which carry code, the names of a layer's variables (Keras 3 weight files store them only as
 * {@code vars/0..N}, in the order of the layer's {@code build()}, which the table keeps) and which of
 * them Keras never trains.
 */
final class KerasLayers {

    // Compiled once: the registry snake-cases every built-in class name on first use.
    private static final Pattern NON_WORD = Pattern.compile("\\W+");
    private static final Pattern CAMEL_WORD = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern LOWER_UPPER = Pattern.compile("([a-z])([A-Z])");
    private static final Pattern COUNTER = Pattern.compile("_\\d+$");
    private static final Pattern DIRECTION = Pattern.compile("^(forward|backward)_");

    /** Built-in classes by the snake-case key Keras 3 gives their groups; built on first use. */
    private static final class BySnake {
        static final Map<String, String> MAP;

        static {
            Map<String, String> m = new HashMap<>();
            for (KerasLayer row : KerasLayerTable.rows()) {
                m.putIfAbsent(snakeCase(row.className()), row.className());
            }
            for (KerasLayer row : KerasLayerTable.rows()) {
                row.aliases().forEach(a -> m.putIfAbsent(snakeCase(a), row.className()));
            }
            MAP = Map.copyOf(m);
        }
    }

    /** Classes whose config holds code (marshalled bytecode, a pickled module, a TF op by name). */
    private static final Set<String> CODE = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda", "TorchModuleWrapper",
            "JaxLayer", "FlaxLayer");

    private static final Set<String> MODELS = Set.of("Sequential", "Functional", "Model");

    private KerasLayers() {
    }

    static boolean isBuiltin(String className) {
        return KerasLayerTable.isBuiltin(className);
    }

    static boolean carriesCode(String className) {
        return CODE.contains(className);
    }

    static boolean isModelClass(String className) {
        return MODELS.contains(className);
    }

    /** Keras's {@code naming.to_snake_case}: how Keras 3 names a layer's group in a weights file. */
    static String snakeCase(String className) {
        String s = NON_WORD.matcher(className).replaceAll("");
        s = CAMEL_WORD.matcher(s).replaceAll("$1_$2");
        return LOWER_UPPER.matcher(s).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The built-in class a Keras 3 store key such as {@code batch_normalization_3} was made from. */
    static Optional<String> classForKey(String key) {
        String c = BySnake.MAP.get(key);
        if (c == null) {
            c = BySnake.MAP.get(COUNTER.matcher(key).replaceFirst(""));
        }
        return Optional.ofNullable(c);
    }

    /** Names for {@code count} variables of a layer of class {@code kind} with the given config. */
    static List<String> varNames(String kind, int count, Map<String, Object> config) {
        KerasLayer row = KerasLayerTable.find(kind);
        List<KerasWeight> saved = new ArrayList<>(row == null ? List.of() : row.savedWeights(config));
        // Fewer variables than the class can make (BatchNormalization without scale in a weights-only
        // file): the optional ones are what is missing, so the unconditional ones keep their names.
        for (int i = saved.size() - 1; i >= 0 && saved.size() > count; i--) {
            if (!saved.get(i).conditions().isEmpty()) {
                saved.remove(i);
            }
        }
        List<String> names = new ArrayList<>();
        saved.forEach(w -> names.add(w.role()));
        // A Dense/Conv without bias simply stores fewer variables; extra ones get positional names.
        while (names.size() < count) {
            names.add("var" + names.size());
        }
        return names.subList(0, count);
    }

    /**
     * True for a variable that is the same as one of a sublayer's, which Keras saves under both
     * (SpectralNormalization's kernel is its Dense's): counted once, with the sublayer.
     */
    static boolean savedTwice(String kind, String role) {
        KerasLayer row = KerasLayerTable.find(kind);
        KerasWeight w = row == null ? null : row.weight(role);
        return w != null && w.alias();
    }

    /** Variables Keras keeps out of training whatever the layer's trainable flag says. */
    static boolean alwaysNonTrainable(String kind, String role) {
        KerasLayer row = KerasLayerTable.find(kind);
        KerasWeight w = row == null ? null : row.weight(role);
        if (w != null) {
            return !w.trainable();
        }
        // custom classes (and the bare Layer): BatchNormalization's statistics keep their names
        return role.equals("moving_mean") || role.equals("moving_variance");
    }

    /** The class of a sublayer stored under attribute {@code key} of a layer of class {@code parent}. */
    static String sublayerKind(String parent, String key, Map<String, Object> parentConfig, String storedName) {
        if (key.equals("cell")) {
            KerasLayer row = KerasLayerTable.find(parent);
            String cell = row == null ? null : row.params().get("cell");
            return cell != null ? cell : innerClass(parentConfig.get("cell")).orElse(guess(storedName, key));
        }
        if (key.endsWith("_dense") && parent.contains("Attention")) {
            return "EinsumDense";
        }
        if (key.equals("forward_layer") || key.equals("layer")) {
            return innerClass(parentConfig.get("layer")).orElse(guess(storedName, key));
        }
        if (key.equals("backward_layer")) {
            return innerClass(parentConfig.get("backward_layer"))
                    .or(() -> innerClass(parentConfig.get("layer"))).orElse(guess(storedName, key));
        }
        return guess(storedName, key);
    }

    private static String guess(String storedName, String key) {
        if (storedName != null) {
            String n = DIRECTION.matcher(storedName).replaceFirst("");
            Optional<String> c = classForKey(n);
            if (c.isPresent()) {
                return c.get();
            }
        }
        return classForKey(key).orElse("Layer");
    }

    private static Optional<String> innerClass(Object layerConfig) {
        if (layerConfig instanceof Map<?, ?> m && m.get("class_name") instanceof String s) {
            return Optional.of(s);
        }
        return Optional.empty();
    }
}
