package dev.modeltally.ir;

import java.util.Objects;

/**
 * Something worth telling the user about a model: a stable {@code code} (documented in
 * docs/findings.md), a one-line message, and where in the model it is (node, tensor or file name).
 */
public record Finding(Severity severity, String code, String message, String where) {
    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Finding info(String code, String message, String where) {
        return new Finding(Severity.INFO, code, message, where);
    }

    public static Finding warning(String code, String message, String where) {
        return new Finding(Severity.WARNING, code, message, where);
    }

    public static Finding error(String code, String message, String where) {
        return new Finding(Severity.ERROR, code, message, where);
    }
}
