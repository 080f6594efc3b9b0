package dev.modeltally.report;

import java.util.List;

/** Aligns rows of cells into columns; the first row is the header. */
public final class Columns {

    private Columns() {
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
