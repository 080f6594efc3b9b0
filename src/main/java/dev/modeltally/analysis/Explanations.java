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
        if (diff < 0) {
            auxiliaryHeads(r, -diff, out);
        }
        storedElsewhere(r.parameters(), diff, out);
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
                default -> {
                    // not a count-changing finding
                }
            }
        }
        return out;
    }

    /** Quantization parameters, Constant-node weights and weights made at run time, when they bear on the gap. */
    private static void storedElsewhere(Parameters p, long diff, List<String> out) {
        Parameters.Tally q = p.quantization();
        long intBias = p.integerBiases().elements();
        if (q.elements() > 0 || intBias > 0) {
            long asFloat = p.total() - q.elements() + intBias;
            out.add("the file is quantized: its total includes " + fmt(q.elements()) + " quantization scales and zero"
                    + " points in " + q.tensors() + " tensors, which a float model's figure does not count"
                    + (intBias > 0 ? ", and leaves out " + fmt(intBias) + " bias elements stored as INT32 (constants)"
                    : "") + "; counted as the float model would be: " + fmt(asFloat)
                    + (asFloat == p.total() - diff ? " (exactly the expected figure)" : ""));
        }
        Parameters.Tally s = p.synthesized();
        if (diff < 0 && s.elements() > 0) {
            out.add((s.atLeast() ? "at least " : "") + fmt(s.elements()) + " weight elements in " + s.tensors()
                    + " weight inputs are made at run time (ConstantOfShape, Random*), not stored"
                    + (s.elements() == -diff ? " (exactly the difference)" : ""));
        }
        long fromConstants = p.bySource().constantNode();
        if (fromConstants > 0) {
            out.add(fmt(fromConstants) + " of the file's parameters are Constant-node tensors consumed as weights"
                    + " (docs/counting.md, parameters wherever stored); a Constant read only through ops other"
                    + " than Identity/Reshape/Unsqueeze/Squeeze/Cast/Transpose/Flatten/Expand is not counted");
        }
    }

    /**
     * An auxiliary classifier a model runs only in training: torch.onnx traces the eval forward pass,
     * so the exported graph lacks it while published counts include it. Recognised by the exporter's
     * node names (module scopes): the model's {@code marker} present, none of its {@code heads}.
     */
    private record AuxHead(String model, String marker, List<String> heads, long parameters) {
    }

    private static final List<AuxHead> AUX_HEADS = List.of(
            new AuxHead("torchvision Inception v3", "/Mixed_7c/", List.of("/AuxLogits/"), 3_326_696L),
            new AuxHead("torchvision GoogLeNet", "/inception5b/", List.of("/aux1/", "/aux2/"), 6_379_984L));

    private static void auxiliaryHeads(Report r, long missing, List<String> out) {
        for (AuxHead a : AUX_HEADS) {
            boolean model = false;
            boolean head = false;
            for (NodeParams n : r.nodes()) {
                model |= n.name().contains(a.marker());
                head |= a.heads().stream().anyMatch(n.name()::contains);
            }
            if (model && !head) {
                String names = String.join(", ", a.heads().stream().map(h -> h.replace("/", "")).toList());
                out.add("the graph is " + a.model() + " (node names " + a.marker() + "…) without its auxiliary "
                        + "classifier head(s) " + names + ": they run only in training, so torch.onnx does not export "
                        + "them; published counts include their " + fmt(a.parameters()) + " parameters"
                        + (missing == a.parameters() ? " (exactly the difference)" : ""));
            }
        }
    }

    private static String fmt(long n) {
        return String.format("%,d", n);
    }
}
