package dev.modeltally.report.html;

import dev.modeltally.report.Numbers;

/** Helpers for report tables; a sortable table's script reads {@code data-v} for numbers. */
final class Table {

    private Table() {
    }

    /**
     * Opens a scrollable, sortable table and writes its header. {@code kinds} has one letter per
     * column: {@code t} text, {@code n} number (right-aligned), {@code v} sorted by number but
     * left-aligned (badges).
     */
    static void start(Html h, String id, String[] columns, String kinds) {
        if (kinds.length() != columns.length) {
            throw new IllegalArgumentException("one kind per column");
        }
        h.open("div", "class", "scroll").open("table", "class", "sortable", "id", id);
        h.open("thead").open("tr");
        for (int i = 0; i < columns.length; i++) {
            char k = kinds.charAt(i);
            h.open("th", "class", k == 'n' ? "num" : null, "data-sort", k == 't' ? "text" : "num", "scope", "col")
                    .el("button", columns[i], "type", "button").close("th");
        }
        h.close("tr").close("thead").newline().open("tbody").newline();
    }

    static void end(Html h) {
        h.close("tbody").close("table").close("div").newline();
    }

    /** A right-aligned exact count that sorts by value. */
    static void count(Html h, long v) {
        h.el("td", Numbers.grouped(v), "class", "num", "data-v", Long.toString(v));
    }

    /** A count that may be unknown: shown as such and sorted last, never as 0. */
    static void count(Html h, Long v, String unknown) {
        if (v == null) {
            h.el("td", unknown, "class", "num unknown");
        } else {
            count(h, v);
        }
    }

    static void share(Html h, long part, long whole) {
        String p = Numbers.percent(part, whole);
        h.el("td", p, "class", "num", "data-v", whole <= 0 ? null : Double.toString((double) part / whole));
    }

    /** A plain two-column table of label/value pairs. */
    static void pairs(Html h, String cls, String[][] rows) {
        h.open("table", "class", cls).open("tbody");
        for (String[] r : rows) {
            h.open("tr").el("th", r[0], "scope", "row").el("td", r[1]).close("tr");
        }
        h.close("tbody").close("table").newline();
    }
}
