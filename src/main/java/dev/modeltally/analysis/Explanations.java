package dev.modeltally.analysis;

import dev.modeltally.ir.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * Likely reasons why a file's parameter count differs from a published one, from what the
 * analysis actually saw. Each reason names its evidence; with no evidence, nothing is said.
 */
public final class Explanations {

    private Explanations() {
    }

    /** Reasons for {@code got - expected} parameters (positive: the file stores more). */
    public static List<String> forParameters(Report r, long expected, long got) {
        List<String> out = new ArrayList<>();
        long diff = got - expected;
        if (diff == 0 || r.parameters() == null) {
            return out;
        }
        long nonTrainable = r.parameters().nonTrainable();
        if (diff > 0 && nonTrainable > 0 && diff == nonTrainable) {
            out.add("the file's total includes " + fmt(nonTrainable) + " non-trainable values (BatchNormalization"
                    + " moving statistics or frozen layers); the expected figure seems to count trainable ones only");
        }
        if (diff < 0 && r.parameters().trainable() == expected) {
            out.add("the expected figure equals the file's trainable count");
        }
        if (diff < 0 && -diff == nonTrainable) {
            out.add("the expected figure seems to include " + fmt(nonTrainable) + " non-trainable values twice");
        }
        for (Finding f : r.findings()) {
            switch (f.code()) {
                case "batchnorm-folded" -> {
                    if (diff < 0) {
                        out.add("BatchNormalization was folded into the convolutions by the exporter, which drops"
                                + " its scale/shift and keeps only a conv bias (" + f.message() + ")");
                    }
                }
                case "tied-weight-stored-twice" -> {
                    if (diff > 0) {
                        out.add("a tied weight is stored twice: " + f.message());
                    }
                }
                case "unused-initializer" -> {
                    if (diff > 0) {
                        out.add("the file stores initializers no node uses: " + f.message());
                    }
                }
                case "synthesized-weight" -> {
                    if (diff < 0) {
                        out.add("some weights are made at run time rather than stored: " + f.message());
                    }
                }
                default -> {
                    // not a count-changing finding
                }
            }
        }
        return out;
    }

    private static String fmt(long n) {
        return String.format("%,d", n);
    }
}
