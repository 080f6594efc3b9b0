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
        assert known(severity, code) : "finding code '" + code + "' (" + severity.label() + ") is not a FindingCode:"
                + " add it to ir/FindingCode and docs/findings.md";
    }

    private static boolean known(Severity severity, String code) {
        FindingCode c = FindingCode.of(code);
        return c != null && c.severity() == severity;
    }

    /** A finding of a code's documented severity. */
    public static Finding of(FindingCode code, String message, String where) {
        return new Finding(code.severity(), code.code(), message, where);
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
