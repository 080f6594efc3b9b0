package dev.modeltally.format.onnx;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Constant nodes whose value is given as a plain attribute (value_int, value_ints, value_float,
 * value_floats, value_string, value_strings) rather than a tensor.
 */
final class ScalarConstants {

    private ScalarConstants() {
    }

    static Weight fromAttributes(Node node) {
        String out = node.outputs().get(0);
        var a = node.attrs();
        Storage inline = new Storage.Inline(0, 0);
        if (a.has("value_int")) {
            return new Weight(out, DType.INT64, Shape.scalar(), Weight.Role.CONSTANT_NODE, false, inline,
                    List.of(a.getLong("value_int", 0)));
        }
        if (a.has("value_ints")) {
            long[] v = a.getLongs("value_ints").orElse(new long[0]);
            List<Long> values = new ArrayList<>(v.length);
            for (long x : v) {
                values.add(x);
            }
            return new Weight(out, DType.INT64, Shape.of(v.length), Weight.Role.CONSTANT_NODE, false, inline,
                    values.size() <= TensorReader.MAX_INT_VALUES ? values : null);
        }
        if (a.has("value_float")) {
            return new Weight(out, DType.FLOAT, Shape.scalar(), Weight.Role.CONSTANT_NODE, false, inline, null,
                    List.of(a.getDouble("value_float", 0)));
        }
        if (a.has("value_floats")) {
            List<Double> floats = new ArrayList<>();
            if (a.values().get("value_floats") instanceof List<?> l) {
                for (Object o : l) {
                    floats.add(o instanceof Number n ? n.doubleValue() : Double.NaN);
                }
            }
            return new Weight(out, DType.FLOAT, Shape.of(listSize(a.values().get("value_floats"))),
                    Weight.Role.CONSTANT_NODE, false, inline, null,
                    floats.size() <= TensorReader.MAX_FLOAT_VALUES ? floats : null);
        }
        if (a.has("value_string")) {
            return new Weight(out, DType.STRING, Shape.scalar(), Weight.Role.CONSTANT_NODE, false, inline);
        }
        if (a.has("value_strings")) {
            return new Weight(out, DType.STRING, Shape.of(listSize(a.values().get("value_strings"))),
                    Weight.Role.CONSTANT_NODE, false, inline);
        }
        return null;
    }

    private static long listSize(Object o) {
        if (o instanceof dev.modeltally.ir.Attributes.Elements e) {
            return e.count();
        }
        return o instanceof List<?> l ? l.size() : 0;
    }
}
