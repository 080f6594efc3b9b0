package dev.modeltally.ir;

import java.util.Locale;

/** How much a finding matters. Ordered from least to most severe. */
public enum Severity {
    INFO, WARNING, ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
