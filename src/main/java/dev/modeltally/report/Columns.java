package dev.modeltally.report;

import java.util.List;

/** Aligns rows of cells into columns; the first row is the header. */
public final class Columns {

    private Columns() {
    }

    /**
     * {@code String.format("  %-14s%s%n", label, value)}, the label-value line of the text report, without the
     * formatter (whose first use in a process costs milliseconds).
     */
    public static String row(String label, String value) {
        return "  " + padRight(label, 14) + value + System.lineSeparator();
    }

    /** {@code String.format("%-" + width + "s", s)}. */
    public static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code rightAlign[i]} right-aligns column i (numbers). Every line is indented by {@code indent}. */
    public static String format(List<String[]> rows, String indent, boolean[] rightAlign) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < cols; i++) {
                String cell = r[i];
                String pad = " ".repeat(width[i] - cell.length());
                line.append(rightAlign[i] ? pad + cell : cell + (i == cols - 1 ? "" : pad));
                if (i < cols - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
