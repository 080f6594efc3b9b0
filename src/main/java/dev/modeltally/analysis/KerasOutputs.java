package dev.modeltally.analysis;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs a Keras model reports: legacy Sequential configs record no output shapes, so those the
 * file leaves unknown are taken from shape inference, with the symbolic batch kept as the model's
 * inputs declare it (inference binds it to the assumed batch size; every Keras layer is batch-first).
 */
final class KerasOutputs {

    private KerasOutputs() {
    }

    static List<Value> of(Graph g, ShapeInference.Result shapes) {
        if (!isKeras(g)) {
            return g.outputs();
        }
        Dim batch = null;
        for (Value v : g.inputs()) {
            if (v.shape().rankKnown() && v.shape().rank() > 0 && v.shape().dim(0) instanceof Dim.Symbolic s) {
                batch = s;
                break;
            }
        }
        long bound = -1;
        for (Value v : shapes.inputs()) {
            if (v.shape().rankKnown() && v.shape().rank() > 0 && v.shape().dim(0) instanceof Dim.Fixed f) {
                bound = f.value();
                break;
            }
        }
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < g.outputs().size(); i++) {
            Value v = g.outputs().get(i);
            Value k = i < shapes.outputs().size() ? shapes.outputs().get(i) : null;
            if (v.shape().rankKnown() || k == null || !k.shape().rankKnown()) {
                out.add(v);
                continue;
            }
            List<Dim> dims = new ArrayList<>(k.shape().dims());
            if (batch != null && !dims.isEmpty() && dims.get(0) instanceof Dim.Fixed f && f.value() == bound) {
                dims.set(0, batch);
            }
            out.add(new Value(v.name(), v.dtype() == DType.UNDEFINED ? k.dtype() : v.dtype(), new Shape(dims)));
        }
        return out;
    }

    static boolean isKeras(Graph g) {
        for (Node n : g.nodes()) {
            if (KerasLayerTable.DOMAIN.equals(n.domain())) {
                return true;
            }
        }
        return false;
    }
}
