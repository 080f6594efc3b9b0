package dev.modeltally.format.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.format.keras.KerasConfig.LayerSpec;
import dev.modeltally.format.keras.KerasConfig.ModelSpec;
import dev.modeltally.ir.Finding;
import java.util.List;

/**
 * Finds what loading a Keras model would execute: Lambda layers (marshalled Python bytecode),
 * TFOpLambda and other code-carrying layers, Python lambdas anywhere in a config (an activation
 * written as a lambda), and classes or functions that are not part of Keras. Nothing found here is
 * decoded, unmarshalled or run; the config is only looked at as JSON.
 */
final class KerasCodeScan {

    private static final List<String> WRAPPED = List.of("layer", "backward_layer", "cell");

    private final List<Finding> findings;

    private KerasCodeScan(List<Finding> findings) {
        this.findings = findings;
    }

    static void scan(ModelSpec model, List<Finding> findings) {
        new KerasCodeScan(findings).model(model, "", 0);
    }

    private void model(ModelSpec m, String prefix, int depth) {
        if (!m.className().equals("Model") && !KerasLayers.isBuiltin(m.className()) && depth == 0) {
            custom(m.name(), m.className(), null, "model");
        }
        for (LayerSpec l : m.layers()) {
            String where = prefix + l.name();
            if (l.model() != null) {
                if (!KerasLayers.isBuiltin(l.className()) || isRegisteredCustom(l.registeredName(), l.className())) {
                    custom(where, l.className(), l.registeredName(), "model");
                }
                model(l.model(), where + "/", depth + 1);
                continue;
            }
            layer(where, l.className(), l.registeredName(), l.module(), l.config(), 0);
        }
    }

    private void layer(String where, String className, String registeredName, String module, JsonNode config,
                       int depth) {
        if (KerasLayers.carriesCode(className)) {
            code(where, className, config);
        } else if (!KerasLayers.isBuiltin(className) || isRegisteredCustom(registeredName, className)
                || (module != null && !module.startsWith("keras"))) {
            custom(where, className, registeredName, "layer");
        }
        if (config != null && depth < 8) {
            // Wrappers (Bidirectional, TimeDistributed) hold the wrapped layer's full entry.
            for (String key : WRAPPED) {
                JsonNode inner = config.get(key);
                if (inner != null && inner.isObject() && inner.has("class_name")) {
                    layer(where + "/" + key, inner.get("class_name").asText(),
                            KerasJson.text(inner, "registered_name", null), KerasJson.text(inner, "module", null),
                            inner.get("config"), depth + 1);
                }
            }
            if (!KerasLayers.carriesCode(className)) {
                functions(where, config, 0);
            }
        }
    }

    private static boolean isRegisteredCustom(String registeredName, String className) {
        // Keras 3 writes "package>Class" for classes registered with register_keras_serializable.
        return registeredName != null && registeredName.contains(">") && !registeredName.startsWith("keras");
    }

    /** Lambdas and non-Keras functions inside a layer's config (activations, initializers, ...). */
    private void functions(String where, JsonNode n, int depth) {
        if (depth > 64 || n == null) {
            return;
        }
        if (n.isObject()) {
            if (KerasJson.isLambdaFunction(n)) {
                findings.add(Finding.error("keras-lambda", "layer '" + where
                        + "' has a Python lambda in its config (marshalled bytecode); loading the model would run it;"
                        + " not decoded", where));
                return;
            }
            String cls = KerasJson.text(n, "class_name", null);
            String module = KerasJson.text(n, "module", null);
            if ("function".equals(cls) && module != null && !module.startsWith("keras")) {
                findings.add(Finding.warning("keras-custom-class", "layer '" + where + "' refers to Python function '"
                        + KerasJson.text(n, "config", "?") + "' from module '" + module
                        + "'; loading the model needs and runs that code", where));
                return;
            }
            if (n.has("class_name") && n.has("config") && (n.has("module") || n.has("registered_name"))
                    && depth > 0 && isRegisteredCustom(KerasJson.text(n, "registered_name", null), cls)) {
                custom(where, cls, KerasJson.text(n, "registered_name", null), "object");
            }
        }
        for (java.util.Map.Entry<String, JsonNode> e : n.properties()) {
            if (depth == 0 && WRAPPED.contains(e.getKey())) {
                continue; // scanned as a layer of its own
            }
            functions(where, e.getValue(), depth + 1);
        }
        if (n.isArray()) {
            for (JsonNode c : n) {
                functions(where, c, depth + 1);
            }
        }
    }

    private void code(String where, String className, JsonNode config) {
        String what = switch (className) {
            case "Lambda" -> "holds a Python function (marshalled bytecode"
                    + (config != null && "function".equals(KerasJson.text(config, "function_type", null))
                    ? " or a function looked up by name" : "") + ")";
            case "TFOpLambda", "SlicingOpLambda" -> "calls TensorFlow function '"
                    + KerasJson.text(config, "function", "?") + "' by name";
            case "TorchModuleWrapper" -> "holds a pickled PyTorch module";
            default -> "wraps foreign framework code (" + className + ")";
        };
        findings.add(Finding.error("keras-lambda", className + " layer '" + where + "' " + what
                + "; loading the model would run it; not decoded", where));
    }

    private void custom(String where, String className, String registeredName, String what) {
        String cls = registeredName != null && !registeredName.equals(className) ? registeredName : className;
        findings.add(Finding.warning("keras-custom-class", what + " '" + where + "' has class '" + cls
                + "', which is not part of Keras; loading the model needs (and runs) its Python code", where));
    }
}
