package dev.modeltally.analysis;

/** Formula identifiers made from dim names: letters, digits and '_', not starting with a digit. */
final class Identifiers {

    private Identifiers() {
    }

    static String of(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
        }
        if (sb.isEmpty() || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, 'd');
        }
        String s = sb.toString();
        return switch (s) {
            case "floor", "ceil", "min", "max" -> s + "_";
            default -> s;
        };
    }
}
