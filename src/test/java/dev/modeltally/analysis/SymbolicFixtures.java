package dev.modeltally.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.ModelTally;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import dev.modeltally.report.JsonReport;
import dev.modeltally.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The fixtures of testdata/ whose graph inputs keep a dim symbolic (a named dim_param, an unnamed
 * dynamic dim, a Keras None), found by reading each model file through the facade, and the
 * concrete analyses FormulaPointsTest compares their formulas with.
 *
 * <p>Each non-fixed input dim has a <em>key</em>: its name when it is named (inputs that share a
 * dim name share the key, as they share the symbol), else {@code input#dim}. A point gives every
 * key a value, picked from a list by the key's role: batch-like {1, 2, 3, 5}, sequence-like
 * {1, 7, 16, 64, 128}, spatial {64, 96, 97, 113, 128, 224} — smallest first, the symbols of one role
 * offset from each other (so H ≠ W), then the same value for all of a role (for models that need
 * H = W). Points where the model does not run are skipped by the caller.
 */
final class SymbolicFixtures {

    private static final Pattern MODEL_NAME = Pattern.compile(".*\\.(onnx|h5|hdf5|keras)(\\.gz)?$");

    enum Role {
        BATCH(1, 2, 3, 5), SEQUENCE(1, 7, 16, 64, 128), SPATIAL(64, 96, 97, 113, 128, 224);

        final long[] candidates;

        Role(long... candidates) {
            this.candidates = candidates;
        }
    }

    /** One graph input: its fixed sizes (-1 where not fixed) and the key of each non-fixed dim. */
    record Input(String name, long[] fixed, String[] keys) {
        boolean symbolic() {
            for (String k : keys) {
                if (k != null) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A fixture with symbolic input dims: where it is, its inputs, the role of each free key, and the
     * derived keys — dims named by an expression of other keys ({@code past_sequence_length +
     * sequence_length}, a dynamo {@code 2*s0}), whose value follows from theirs.
     */
    record Fixture(String relative, Path file, List<Input> inputs, Map<String, Role> roles,
                   Map<String, FormulaEvaluator.Expr> derived) {
        Input input(String name) {
            return inputs.stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
        }

        /** Every input's shape at {@code point} (keys → sizes), as {@code --input-shape} gives them. */
        Map<String, Shape> shapes(Map<String, Long> point) {
            Map<String, Shape> out = new LinkedHashMap<>();
            for (Input in : inputs) {
                if (!in.symbolic()) {
                    continue;
                }
                long[] sizes = in.fixed().clone();
                for (int i = 0; i < sizes.length; i++) {
                    if (in.keys()[i] != null) {
                        sizes[i] = point.get(in.keys()[i]);
                    }
                }
                out.put(in.name(), Shape.of(sizes));
            }
            return out;
        }

        /** {@code point} (free keys) with the derived keys' values added. */
        Map<String, Long> complete(Map<String, Long> point) {
            Map<String, Long> out = new LinkedHashMap<>(point);
            Map<String, java.math.BigInteger> env = new LinkedHashMap<>();
            point.forEach((k, v) -> env.put(k, java.math.BigInteger.valueOf(v)));
            derived.forEach((k, e) -> out.put(k, FormulaEvaluator.evaluate(e, env).longValueExact()));
            return out;
        }

        @Override
        public String toString() {
            return relative;
        }
    }

    private SymbolicFixtures() {
    }

    /** Every model file under testdata/ (gzipped ones unzipped into {@code scratch}) with a symbolic input dim. */
    static List<Fixture> discover(Path scratch) {
        List<Fixture> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Fixtures.ROOT)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = Fixtures.ROOT.relativize(p).toString().replace('\\', '/');
                if (!MODEL_NAME.matcher(relative).matches() || relative.startsWith("not-models/")) {
                    continue;
                }
                Fixture f = open(relative, p, scratch);
                if (f != null) {
                    out.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The fixture at {@code relative} if it reads and has a symbolic input dim, else null. */
    static Fixture open(String relative, Path p, Path scratch) throws IOException {
        Path file = p;
        if (relative.endsWith(".gz")) {
            Path dir = Files.createDirectories(scratch.resolve(relative.replace('/', '_')));
            file = dir.resolve(p.getFileName().toString().replaceFirst("\\.gz$", ""));
            if (!Files.exists(file)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                    Files.copy(in, file);
                }
            }
        }
        Model model;
        try {
            model = ModelTally.read(file, Limits.DEFAULT);
        } catch (Exception e) { // hostile, broken or not-a-model fixtures are other tests' business
            return null;
        }
        if (model.graph() == null || !model.hasGraph()) {
            return null;
        }
        List<Input> inputs = inputs(model.graph());
        if (inputs.stream().noneMatch(Input::symbolic)) {
            return null;
        }
        Map<String, Role> roles = roles(inputs);
        Map<String, FormulaEvaluator.Expr> derived = new LinkedHashMap<>();
        for (String key : List.copyOf(roles.keySet())) {
            FormulaEvaluator.Expr e = derivedFrom(key, roles.keySet());
            if (e != null) {
                derived.put(key, e);
            }
        }
        derived.keySet().forEach(roles::remove);
        return new Fixture(relative, file, inputs, roles, derived);
    }

    /** The expression a dim name spells over other keys (not itself a plain name), or null. */
    private static FormulaEvaluator.Expr derivedFrom(String key, Set<String> keys) {
        if (key.contains("#") || key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return null;
        }
        try {
            FormulaEvaluator.Expr e = FormulaEvaluator.parse(key);
            Set<String> reads = FormulaEvaluator.symbols(e);
            return !reads.isEmpty() && !reads.contains(key) && keys.containsAll(reads) ? e : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The real inputs (not initializers), tensors of known rank. */
    private static List<Input> inputs(Graph g) {
        List<Input> out = new ArrayList<>();
        for (Value v : g.inputs()) {
            if (g.weights().containsKey(v.name()) || v.type() != null || !v.shape().rankKnown()) {
                continue;
            }
            int rank = v.shape().rank();
            long[] fixed = new long[rank];
            String[] keys = new String[rank];
            for (int i = 0; i < rank; i++) {
                Dim d = v.shape().dim(i);
                fixed[i] = d.valueOr(-1);
                if (d instanceof Dim.Symbolic s) {
                    keys[i] = s.name();
                } else if (d instanceof Dim.Unknown) {
                    keys[i] = v.name() + "#" + i;
                }
            }
            out.add(new Input(v.name(), fixed, keys));
        }
        return out;
    }

    private static Map<String, Role> roles(List<Input> inputs) {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (Input in : inputs) {
            for (int i = 0; i < in.keys().length; i++) {
                String key = in.keys()[i];
                if (key != null && !roles.containsKey(key)) {
                    roles.put(key, role(key.contains("#") ? "" : key, i, in.keys().length));
                }
            }
        }
        return roles;
    }

    /** By the dim's name where it says, else by position: dim 0 batch, later dims of 4-D+ spatial, else sequence. */
    static Role role(String name, int dim, int rank) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("batch") || n.equals("n") || n.equals("b") || n.equals("bs") || n.startsWith("batch")) {
            return Role.BATCH;
        }
        if (n.contains("height") || n.contains("width") || n.equals("h") || n.equals("w") || n.startsWith("h_")
                || n.startsWith("w_") || n.endsWith("_h") || n.endsWith("_w")) {
            return Role.SPATIAL;
        }
        if (n.contains("seq") || n.contains("len") || n.contains("token") || n.contains("time")
                || n.contains("step") || n.contains("frame") || n.contains("sample") || n.contains("word")) {
            return Role.SEQUENCE;
        }
        if (dim == 0) {
            return Role.BATCH;
        }
        return rank >= 4 ? Role.SPATIAL : Role.SEQUENCE;
    }

    /**
     * The points to try, in order: k-th candidate of each key's role (the keys of one role offset by
     * their index among that role), then all keys of a role at one value; no point twice.
     */
    static List<Map<String, Long>> points(Map<String, Role> roles) {
        int longest = roles.values().stream().mapToInt(r -> r.candidates.length).max().orElse(0);
        Set<Map<String, Long>> out = new LinkedHashSet<>();
        for (boolean diagonal : new boolean[] {false, true}) {
            for (int k = 0; k < longest; k++) {
                Map<String, Integer> seen = new LinkedHashMap<>();
                Map<String, Long> point = new LinkedHashMap<>();
                for (Map.Entry<String, Role> e : roles.entrySet()) {
                    int offset = diagonal ? 0 : seen.merge(e.getValue().name(), 1, Integer::sum) - 1;
                    long[] c = e.getValue().candidates;
                    point.put(e.getKey(), c[(k + offset) % c.length]);
                }
                out.add(point);
            }
        }
        return new ArrayList<>(out);
    }

    /** The points tried in order, the valid ones with their concrete reports, the others with why. */
    record Search(List<Map<String, Long>> valid, List<JsonNode> reports, List<String> rejected) {
    }

    /** Tries the points of {@link #points} in order until {@code wanted} are valid (or none is left). */
    static Search search(Fixture f, boolean partial, int wanted) throws Exception {
        Search s = new Search(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Map<String, Long> free : points(f.roles())) {
            if (s.valid().size() >= wanted) {
                break;
            }
            Map<String, Long> point = f.complete(free);
            JsonNode r = concrete(f, point);
            String why = invalid(r, partial);
            if (why == null) {
                s.valid().add(point);
                s.reports().add(r);
            } else {
                s.rejected().add(point + ": " + why);
            }
        }
        return s;
    }

    /** The JSON report of a concrete analysis with every symbolic input dim given by number. */
    static JsonNode concrete(Fixture f, Map<String, Long> point) throws Exception {
        Report r = ModelTally.analyze(f.file(), new ModelTally.Options(Limits.DEFAULT,
                new AnalysisOptions(f.shapes(point), 0)));
        return JsonReport.toJson(r, false);
    }

    /** The JSON report of the analysis without shapes (where {@code compute.formula} is). */
    static JsonNode symbolic(Fixture f) throws Exception {
        return JsonReport.toJson(ModelTally.analyze(f.file(), ModelTally.Options.DEFAULT), false);
    }

    /**
     * Why the model does not run at this point (a shape contradiction), or, unless {@code partial},
     * why the concrete figures are not exact there (unresolved shapes, unknown costs, a branch
     * range, memory unknown); null when the point is valid.
     */
    static String invalid(JsonNode report, boolean partial) {
        for (JsonNode f : report.path("findings")) {
            if (f.path("code").asText().equals("shape-contradiction")) {
                return "shape contradiction: " + f.path("message").asText();
            }
        }
        JsonNode c = report.path("compute");
        JsonNode m = report.path("memory");
        if (!c.isObject()) {
            return "no compute: " + report.path("compute_unavailable").asText();
        }
        if (!m.isObject()) {
            return "no memory estimate";
        }
        if (partial) {
            return null;
        }
        JsonNode cov = c.path("coverage");
        if (cov.path("shapes_resolved").asLong() < cov.path("nodes").asLong()) {
            return "shapes resolved for " + cov.path("shapes_resolved") + " of " + cov.path("nodes") + " nodes";
        }
        if (cov.path("cost_unknown").asLong() > 0 || c.path("lower_bound").asBoolean()) {
            return "compute is a lower bound (" + cov.path("cost_unknown") + " nodes of unknown cost, ops without "
                    + "rule " + cov.path("ops_without_rule") + ")";
        }
        if (c.path("range").isObject()) {
            return "compute is a range over undecided branches";
        }
        if (m.path("lower_bound").asBoolean()) {
            return "memory is a lower bound (" + m.path("unknown_tensors") + " tensors of unknown size)";
        }
        return null;
    }
}
