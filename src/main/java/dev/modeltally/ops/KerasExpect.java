package dev.modeltally.ops;

import dev.modeltally.ir.Shape;
import java.util.List;

/**
 * One weight a Keras layer call implies: {@code roles} are the names Keras has given it (Keras 2 and
 * 3 differ), {@code part} the sublayer it belongs to (forward/backward RNN, query/key/value/output
 * projection), matched against stored weight names.
 */
record KerasExpect(String part, List<String> roles, Shape shape) {

    String label() {
        return part == null ? roles.get(0) : part + " " + roles.get(0);
    }

    KerasExpect inPart(String outer) {
        return new KerasExpect(part == null ? outer : outer + "/" + part, roles, shape);
    }

    boolean matches(String weightName, String layer) {
        String[] seg = weightName.split("/");
        String last = seg[seg.length - 1];
        int colon = last.indexOf(':');
        String role = colon < 0 ? last : last.substring(0, colon);
        // an add_weight() without a name: Keras calls it variable, variable_1, ...
        if (!roles.contains(role) && !(roles.contains("variable") && role.matches("variable(_\\d+)?"))) {
            return false;
        }
        if (part == null) {
            return true;
        }
        int from = 0;
        for (int i = 0; i < seg.length - 1; i++) {
            if (seg[i].equals(layer)) {
                from = i + 1; // sublayer names come after the layer's own name
            }
        }
        for (String p : part.split("/")) {
            boolean found = false;
            for (int i = from; i < seg.length - 1 && !found; i++) {
                if (seg[i].startsWith(p) || seg[i].endsWith(p)) {
                    found = true;
                    from = i + 1;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
