package dev.modeltally.format.keras;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What modeltally knows about Keras layer classes: which ship with Keras, which carry code, and in
 * what order each class creates its variables. Keras 3 weight files store variables only as
 * {@code vars/0..N}; their names come from this table (the order is that of each layer's
 * {@code build()}, which is also the order Keras saves them in).
 */
final class KerasLayers {

    // Compiled once: the registry snake-cases every built-in class name at start-up.
    private static final Pattern NON_WORD = Pattern.compile("\\W+");
    private static final Pattern CAMEL_WORD = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern LOWER_UPPER = Pattern.compile("([a-z])([A-Z])");
    private static final Pattern COUNTER = Pattern.compile("_\\d+$");
    private static final Pattern DIRECTION = Pattern.compile("^(forward|backward)_");

    private static final Set<String> BUILTIN = load();
    private static final Map<String, String> BY_SNAKE = new HashMap<>();

    static {
        for (String c : BUILTIN) {
            BY_SNAKE.putIfAbsent(snakeCase(c), c);
        }
    }

    /** Classes whose config holds code (marshalled bytecode, a pickled module, a TF op by name). */
    private static final Set<String> CODE = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda", "TorchModuleWrapper",
            "JaxLayer", "FlaxLayer");

    private static final Set<String> MODELS = Set.of("Sequential", "Functional", "Model");

    private static final List<String> KERNEL_BIAS = List.of("kernel", "bias");
    private static final List<String> RECURRENT = List.of("kernel", "recurrent_kernel", "bias");

    private static final Map<String, List<String>> VARS = new HashMap<>();

    static {
        for (String c : List.of("Dense", "EinsumDense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose",
                "Conv2DTranspose", "Conv3DTranspose", "Convolution1D", "Convolution2D", "Convolution3D",
                "Convolution1DTranspose", "Convolution2DTranspose", "Convolution3DTranspose", "DepthwiseConv1D",
                "DepthwiseConv2D", "LocallyConnected1D", "LocallyConnected2D")) {
            VARS.put(c, KERNEL_BIAS);
        }
        for (String c : List.of("SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D",
                "SeparableConvolution2D")) {
            VARS.put(c, List.of("depthwise_kernel", "pointwise_kernel", "bias"));
        }
        for (String c : List.of("LSTMCell", "GRUCell", "SimpleRNNCell", "ConvLSTMCell", "PeepholeLSTMCell")) {
            VARS.put(c, RECURRENT);
        }
        VARS.put("Embedding", List.of("embeddings"));
        VARS.put("ReversibleEmbedding", List.of("embeddings", "reverse_embeddings"));
        VARS.put("PReLU", List.of("alpha"));
        VARS.put("Normalization", List.of("mean", "variance", "count"));
    }

    private KerasLayers() {
    }

    private static Set<String> load() {
        Set<String> out = new LinkedHashSet<>();
        try (InputStream in = KerasLayers.class.getResourceAsStream("builtin-layers.txt")) {
            if (in == null) {
                throw new IllegalStateException("builtin-layers.txt missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static boolean isBuiltin(String className) {
        return BUILTIN.contains(className);
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
        String c = BY_SNAKE.get(key);
        if (c == null) {
            c = BY_SNAKE.get(COUNTER.matcher(key).replaceFirst(""));
        }
        return Optional.ofNullable(c);
    }

    /** Names for {@code count} variables of a layer of class {@code kind} with the given config. */
    static List<String> varNames(String kind, int count, Map<String, Object> config) {
        List<String> names = new ArrayList<>(switch (kind) {
            case "BatchNormalization", "SyncBatchNormalization" -> {
                List<String> n = new ArrayList<>(affine(config));
                n.addAll(List.of("moving_mean", "moving_variance"));
                yield n;
            }
            case "LayerNormalization", "GroupNormalization", "RMSNormalization" -> affine(config);
            default -> VARS.getOrDefault(kind, List.of());
        });
        // A Dense/Conv without bias simply stores fewer variables; extra ones get positional names.
        while (names.size() < count) {
            names.add("var" + names.size());
        }
        return names.subList(0, count);
    }

    private static List<String> affine(Map<String, Object> config) {
        List<String> n = new ArrayList<>(2);
        if (!Boolean.FALSE.equals(config.get("scale"))) {
            n.add("gamma");
        }
        if (!Boolean.FALSE.equals(config.get("center"))) {
            n.add("beta");
        }
        return n;
    }

    /** Variables Keras keeps out of training whatever the layer's trainable flag says. */
    static boolean alwaysNonTrainable(String kind, String role) {
        if (kind.equals("Normalization")) {
            return true;
        }
        boolean bnOrUnknown = kind.contains("BatchNormalization") || kind.equals("Layer") || !BUILTIN.contains(kind);
        return bnOrUnknown && (role.equals("moving_mean") || role.equals("moving_variance"));
    }

    /** The class of a sublayer stored under attribute {@code key} of a layer of class {@code parent}. */
    static String sublayerKind(String parent, String key, Map<String, Object> parentConfig, String storedName) {
        if (key.equals("cell")) {
            return switch (parent) {
                case "LSTM", "CuDNNLSTM" -> "LSTMCell";
                case "GRU", "CuDNNGRU" -> "GRUCell";
                case "SimpleRNN" -> "SimpleRNNCell";
                default -> parent.startsWith("ConvLSTM") ? "ConvLSTMCell" : guess(storedName, key);
            };
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
