package dev.modeltally.cli;

import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** Inputs for shape inference and the compute estimate: --input-shape, --input-value and --batch. */
final class ShapeOptions {

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "Shape of an input, e.g. input=1x3x224x224 (repeatable). Overrides the file's shape. A dim "
                    + "may be a name (input=1x3xHxW, or 1,3,height,width), which stays symbolic in compute.formula.")
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--input-value", paramLabel = "NAME=V",
            description = "Value of an input that decides a branch or a trip count: a number, true/false, or a "
                    + "small vector V1,V2,... (repeatable), e.g. sr=16000.")
    List<String> inputValues = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N",
            description = "Size of a symbolic batch dim (the first dim of an input); default 1, listed as assumed.")
    long batch;

    @Option(names = "--no-formula",
            description = "Skip compute.formula (the cost as expressions of the symbolic dims), e.g. for a faster scan.")
    boolean noFormula;

    /** Its options, for {@link PlainArgs}. */
    static final PlainArgs.Names NAMES = new PlainArgs.Names(Set.of("--no-formula"), Set.of("--batch"),
            Set.of("--input-shape", "--input-value"));

    /** Takes its options from a command line read without picocli. */
    void read(PlainArgs args) {
        inputShapes.addAll(args.list("--input-shape"));
        inputValues.addAll(args.list("--input-value"));
        batch = args.longValue("--batch", batch);
        noFormula = args.flag("--no-formula");
    }

    /** The options, or null after printing why they are invalid. */
    AnalysisOptions analysisOptions(PrintWriter err) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String spec : inputShapes) {
            int eq = spec.lastIndexOf('=');
            String name = eq > 0 ? spec.substring(0, eq) : "";
            Shape shape = eq > 0 ? parse(spec.substring(eq + 1)) : null;
            if (shape == null) {
                err.println("error: --input-shape '" + spec + "': expected NAME=DIMS such as input=1x3x224x224");
                err.flush();
                return null;
            }
            shapes.put(name, shape);
        }
        if (batch < 0) {
            err.println("error: --batch must be at least 1");
            err.flush();
            return null;
        }
        Map<String, List<Number>> values = new LinkedHashMap<>();
        for (String spec : inputValues) {
            int eq = spec.indexOf('=');
            List<Number> v = eq > 0 ? AnalysisOptions.parseValues(spec.substring(eq + 1)) : null;
            if (v == null) {
                err.println("error: --input-value '" + spec + "': expected NAME=V such as sr=16000, flag=true or "
                        + "steps=1,2,3 (at most " + AnalysisOptions.MAX_INPUT_VALUES + " values)");
                err.flush();
                return null;
            }
            values.put(spec.substring(0, eq), v);
        }
        return new AnalysisOptions(shapes, batch, values, !noFormula);
    }

    /**
     * "1x3x224x224" or "1,3,224,224" (or "" for a scalar); a dim may be a name ("1x3xHxW", or
     * "1,3,height,width" for names with an x in them), which stays symbolic. Null when malformed.
     */
    static Shape parse(String dims) {
        String s = dims.strip();
        if (s.isEmpty()) {
            return Shape.scalar();
        }
        String[] parts = s.contains(",") ? s.split(",", -1) : s.split("[xX]", -1);
        List<Dim> out = new ArrayList<>(parts.length);
        for (String raw : parts) {
            String p = raw.strip();
            if (p.matches("\\d{1,18}")) {
                out.add(Dim.of(Long.parseLong(p)));
            } else if (p.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                out.add(Dim.symbol(p));
            } else {
                return null;
            }
        }
        return new Shape(out);
    }
}
