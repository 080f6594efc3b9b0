package dev.modeltally.analysis;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.SymInt;
import dev.modeltally.ops.Tensor;
import dev.modeltally.ops.Count;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --input-value NAME=V}: binds a scalar or small vector to a graph input so value propagation
 * can decide an If on it or a Loop's trip count. The shape is the input's when it already has that
 * many elements; otherwise a scalar for one value, {@code [n]} for n.
 */
final class InputValues {

    private InputValues() {
    }

    static void checkNames(AnalysisOptions options, List<Value> inputs, List<Finding> findings) {
        for (String name : options.inputValues().keySet()) {
            if (inputs.stream().noneMatch(v -> v.name().equals(name))) {
                List<String> names = inputs.stream().map(Value::name).toList();
                findings.add(Finding.error("input-value-unmatched", "--input-value names '" + name
                        + "', which is not an input of the model (inputs: " + String.join(", ", names) + ")", name));
            }
        }
    }

    static Tensor bind(Value input, Tensor declared, List<Number> given, List<Finding> findings) {
        if (declared.type() != null) {
            findings.add(Finding.error("input-value-unmatched", "--input-value " + input.name() + ": the input is a "
                    + declared.type() + ", not a tensor; the value is not used", input.name()));
            return declared;
        }
        boolean floating = input.dtype().kind() == DType.Kind.FLOATING;
        List<SymInt> values = new ArrayList<>(given.size());
        for (Number n : given) {
            if (floating) {
                values.add(new SymInt.Real(n.doubleValue()));
            } else if (n instanceof Long l) {
                values.add(SymInt.of(l));
            } else {
                findings.add(Finding.error("input-value-unmatched", "--input-value " + input.name() + ": " + n
                        + " is not an integer, but the input is " + input.dtype() + "; the value is not used",
                        input.name()));
                return declared;
            }
        }
        Shape s = declared.shape();
        if (!declared.elements().is(given.size())) {
            if (s.isFullyKnown() || (s.rankKnown() && s.rank() > 1)) {
                findings.add(Finding.error("input-value-unmatched", "--input-value " + input.name() + " gives "
                        + given.size() + " value(s) for an input of shape " + s + "; the value is not used",
                        input.name()));
                return declared;
            }
            s = given.size() == 1 && (!s.rankKnown() || s.rank() == 0) ? Shape.scalar()
                    : new Shape(List.of(Dim.of(given.size())));
        }
        return new Tensor(declared.dtype(), s, values);
    }
}
