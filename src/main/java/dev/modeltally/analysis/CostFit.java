package dev.modeltally.analysis;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Weight;
import dev.modeltally.ops.OpRegistry;
import dev.modeltally.ops.OpResult;
import dev.modeltally.ops.OpRule;
import dev.modeltally.ops.SymInt;
import dev.modeltally.ops.Tensor;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The cost of one node as an exact expression of the symbols, read from its own rule. Where the
 * node's sizes are expressions (from the symbolic pass), its rule's MACs and other FLOPs are a
 * polynomial in the atoms of those expressions (the symbols, and the floors and min/max that
 * strides and ceil modes make). The rule is run again on concrete tensors at points of the symbols,
 * the polynomial's coefficients are solved for exactly (rational Gaussian elimination over enough
 * points), and the result is checked at further points; a cost that is not such a polynomial (a
 * log, a branch on a size) fails the check and is reported as not expressible, never guessed.
 */
final class CostFit {

    /** The fitted cost, or why there is none. */
    record Fitted(Expr macs, Expr other, String failure) {
        static Fitted failed(String why) {
            return new Fitted(null, null, why);
        }

        boolean ok() {
            return failure == null;
        }
    }

    /** Most monomials a node's cost may have before we give up on it. */
    private static final int MAX_TERMS = 64;
    private static final int CHECKS = 3;
    private static final int SMALL = 64;
    /** Rule runs one analysis may spend on fits: a graph of thousands of distinct large nodes stays bounded. */
    static final int BUDGET = 200_000;
    private static final int LOW = 24;
    private static final int HIGH = 400;

    private final Map<String, Long> opsets;
    private final Map<Interner.Key, Fitted> cache = new HashMap<>();
    /** Interned tensors and attributes: a fit's cache key is a few ints. */
    private final Interner interner;
    private int ruleRuns;
    /** The node's {symbolic output size, fixed input size >= 2} pairs on one axis (see keptSizes). */
    private List<Expr[]> keeps = List.of();

    /** {@code nodes}: how many node results will be fitted (the interning tables are sized for them). */
    CostFit(Map<String, Long> opsets, int nodes) {
        this.opsets = opsets;
        this.interner = new Interner(3 * nodes);
    }

    /** The node's cost as expressions, fitted once per distinct node (op, attributes, opset, tensors). */
    Fitted fit(NodeResult r) {
        if (unknownSizes(r)) { // before the cache: its key hashes every tensor
            return Fitted.failed("some of its input sizes are not known");
        }
        Interner.Key key = key(r);
        Fitted f = cache.get(key);
        if (f == null) {
            OpRule rule = OpRegistry.find(r.node().domain(), r.node().opType()); // on a miss only
            f = rule == null ? Fitted.failed("no rule for " + OpRegistry.key(r.node().domain(), r.node().opType()))
                    : compute(r, rule);
            cache.put(key, f);
        }
        return f;
    }

    /** The point the memo below belongs to (by identity): each point is a fresh map. */
    private Map<String, Long> memoPoint;
    private final Map<Expr.Atom, Long> memo = new HashMap<>();

    /**
     * An expression's value at a point, with its floors and min/max shared with the other sizes
     * evaluated at the same point (a deep CNN's nested sizes repeat one another's parts).
     */
    private long at(Expr e, Map<String, Long> point) {
        if (point != memoPoint) {
            memo.clear();
            memoPoint = point;
        }
        return e.eval(point, memo);
    }

    /** What a node's fit depends on: its op, attributes, opset, and its input and output tensors. */
    private Interner.Key key(NodeResult r) {
        Node n = r.node();
        List<Tensor> ins = r.inputs();
        List<Tensor> outs = r.result().outputs();
        int[] ids = new int[2 + ins.size() + outs.size()];
        int k = 0;
        ids[k++] = interner.id(n.attrs());
        ids[k++] = ins.size();
        for (Tensor t : ins) {
            ids[k++] = interner.id(t);
        }
        for (Tensor t : outs) {
            ids[k++] = interner.id(t);
        }
        return new Interner.Key(n.domain(), n.opType(), opset(n), ids);
    }

    /** A present input whose rank or some dim is not known (neither a number nor an expression). */
    private static boolean unknownSizes(NodeResult r) {
        List<Tensor> ins = r.inputs();
        for (int i = 0; i < ins.size(); i++) {
            Tensor t = ins.get(i);
            boolean present = i < r.node().inputs().size() && !r.node().inputs().get(i).isEmpty();
            if (present && t.type() == null) {
                if (!t.rankKnown()) {
                    return true;
                }
                for (Dim d : t.shape().dims()) {
                    if (d instanceof Dim.Unknown) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private Fitted compute(NodeResult r, OpRule rule) {
        if (ruleRuns > BUDGET) {
            return Fitted.failed("the formula's budget of " + BUDGET + " rule runs is spent (too many distinct nodes)");
        }
        List<Tensor> ins = r.inputs();
        Set<Expr> atoms = new LinkedHashSet<>();
        Map<Expr, Integer> low = new HashMap<>();
        Map<Expr, Integer> high = new HashMap<>();
        Set<String> symbols = new LinkedHashSet<>();
        List<Tensor> all = new ArrayList<>(ins);
        all.addAll(r.result().outputs());
        for (Tensor t : all) {
            if (t.items() != null && t.items().stream().anyMatch(CostFit::symbolic)) {
                return Fitted.failed("a sequence of symbolic size");
            }
            Map<Expr, Integer> inTensor = new HashMap<>();
            for (Expr e : exprs(t)) {
                symbols.addAll(e.symbols());
                for (Expr a : e.atoms()) {
                    atoms.add(a);
                    inTensor.merge(a, e.degreeIn(a), Integer::sum);
                }
            }
            inTensor.forEach((a, d) -> {
                low.merge(a, d, Math::max);
                high.merge(a, d, Integer::sum);
            });
        }
        if (symbols.isEmpty()) {
            return Fitted.failed("its sizes are not known");
        }
        keeps = keptSizes(r);
        for (Expr[] k : keeps) {
            try {
                Expr changed = Expr.min(Expr.ONE, Expr.max(k[0].minus(k[1]), k[1].minus(k[0])));
                if (atoms.add(changed)) {
                    low.put(changed, 1);
                    high.put(changed, 1);
                }
            } catch (ArithmeticException e) {
                return Fitted.failed("its sizes are too large an expression");
            }
        }
        List<Expr> atomList = new ArrayList<>(atoms);
        Random random = new Random(atomList.hashCode());
        Fitted f = tooManyTerms(atomList, low) ? onOutputs(r, rule, symbols, random) : null;
        if (f != null && f.ok()) {
            return f;
        }
        f = solve(r, rule, atomList, low, symbols, random);
        if (!f.ok() && !low.equals(high)) {
            f = solve(r, rule, atomList, high, symbols, random);
        }
        if (!f.ok() && !tooManyTerms(atomList, low)) {
            Fitted sized = onOutputs(r, rule, symbols, random);
            f = sized != null && sized.ok() ? sized : f;
        }
        return f;
    }

    private static boolean tooManyTerms(List<Expr> atoms, Map<Expr, Integer> degrees) {
        long terms = 1;
        for (Expr a : atoms) {
            terms *= degrees.getOrDefault(a, 0) + 1;
            if (terms > MAX_TERMS) {
                return true;
            }
        }
        return false;
    }

    /**
     * A fit over the outputs' sizes only: first their atoms, each up to its count in one output, then
     * the sizes themselves as the variables (each distinct size up to its count in one output); last
     * the sizes of all the node's tensors as the variables (a global pool reads its input's).
     * Broadcasts of sizes that agree where the model runs ({@code max(a, b)}, {@code a·min(1, b)})
     * put the inputs' atoms beside the output's and multiply the candidate terms past the cap, while
     * an elementwise, pooling or conv cost reads the output's sizes alone; the checks at further
     * points still prove the fit, and a cost that needs the inputs' sizes (a contraction over a
     * symbolic axis) fails them.
     */
    private Fitted onOutputs(NodeResult r, OpRule rule, Set<String> symbols, Random random) {
        Fitted f = null;
        List<Tensor> all = new ArrayList<>(r.inputs());
        all.addAll(r.result().outputs());
        for (int stage = 0; stage < 3; stage++) {
            boolean wholeSizes = stage > 0;
            Set<Expr> vars = new LinkedHashSet<>();
            Map<Expr, Integer> degrees = new HashMap<>();
            for (Tensor t : stage < 2 ? r.result().outputs() : all) {
                Map<Expr, Integer> inTensor = new HashMap<>();
                for (Expr e : exprs(t)) {
                    if (wholeSizes) {
                        vars.add(e);
                        inTensor.merge(e, 1, Integer::sum);
                        continue;
                    }
                    for (Expr a : e.atoms()) {
                        vars.add(a);
                        inTensor.merge(a, e.degreeIn(a), Integer::sum);
                    }
                }
                inTensor.forEach((a, d) -> degrees.merge(a, d, Math::max));
            }
            List<Expr> varList = new ArrayList<>(vars);
            if (varList.isEmpty() || tooManyTerms(varList, degrees)) {
                continue;
            }
            f = solve(r, rule, varList, degrees, symbols, random);
            if (f.ok()) {
                return f;
            }
        }
        return f;
    }

    private Fitted solve(NodeResult r, OpRule rule, List<Expr> atoms, Map<Expr, Integer> degrees, Set<String> symbols,
                         Random random) {
        List<int[]> monos = new ArrayList<>();
        monos.add(new int[atoms.size()]);
        for (int i = 0; i < atoms.size(); i++) {
            int d = degrees.getOrDefault(atoms.get(i), 0);
            List<int[]> next = new ArrayList<>();
            for (int[] m : monos) {
                for (int e = 0; e <= d; e++) {
                    int[] c = m.clone();
                    c[i] = e;
                    next.add(c);
                }
            }
            monos = next;
            if (monos.size() > MAX_TERMS) {
                return Fitted.failed("its cost would have more than " + MAX_TERMS + " terms");
            }
        }
        int m = monos.size();
        List<BigInteger[]> rows = new ArrayList<>();
        List<long[]> costs = new ArrayList<>();
        int tries = 0;
        int need = m + 1; // one row more than terms; the separate checks below are what proves the fit
        List<Set<Long>> seen = new ArrayList<>();
        atoms.forEach(a -> seen.add(new java.util.HashSet<>()));
        while ((rows.size() < need || !varied(seen, atoms, degrees, rows.size(), need)) && tries++ < 8 * need + 40) {
            Map<String, Long> point = point(symbols, random);
            keep(point, random);
            long[] cost = costAt(r, rule, point);
            long[] av = atomValues(atoms, point);
            if (cost == null || av == null) {
                continue;
            }
            rows.add(row(monos, av));
            costs.add(cost);
            for (int i = 0; i < av.length; i++) {
                seen.get(i).add(av[i]);
            }
        }
        if (rows.size() < need) {
            return Fitted.failed("its rule gives no cost at most points tried");
        }
        if (!varied(seen, atoms, degrees, rows.size(), need)) {
            return Fitted.failed("its sizes take too few values at the points where it runs to fit its cost");
        }
        Rational[][] coef = Rational.solve(rows, costs);
        if (coef == null) {
            return Fitted.failed("its cost is not a polynomial of its sizes");
        }
        Expr macs = build(coef[0], monos, atoms);
        Expr other = build(coef[1], monos, atoms);
        if (macs == null || other == null) {
            return Fitted.failed("its cost overflows");
        }
        int checked = 0;
        for (int k = 0; checked < CHECKS && k < 10 * CHECKS; k++) {
            Map<String, Long> point = point(symbols, random);
            keep(point, random);
            long[] cost = costAt(r, rule, point);
            if (cost == null) {
                continue;
            }
            checked++;
            try {
                if (at(macs, point) != cost[0] || at(other, point) != cost[1]) {
                    return Fitted.failed("its cost is not a polynomial of its sizes");
                }
            } catch (ArithmeticException e) {
                return Fitted.failed("its cost overflows");
            }
        }
        if (checked < CHECKS) {
            return Fitted.failed("its rule gives no cost at most points tried");
        }
        return new Fitted(macs, other, null);
    }

    /**
     * Each atom took more distinct values than its degree, so the samples tell its powers apart; or
     * one value only over many points (min(1, n) where sizes are at least 1: constant where it runs).
     */
    private static boolean varied(List<Set<Long>> seen, List<Expr> atoms, Map<Expr, Integer> degrees, int rows,
                                  int need) {
        for (int i = 0; i < atoms.size(); i++) {
            int distinct = seen.get(i).size();
            if (distinct < degrees.getOrDefault(atoms.get(i), 0) + 1 && !(distinct == 1 && rows >= need + 8)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Axes where an input has a fixed size of at least 2 and an output a symbolic one: an op that
     * resizes (Resize, Pad, Tile) may keep the size at some points, and a rule may cost such an
     * axis apart (Resize interpolates no axis it keeps: a ViT's position grid resized to itself at
     * the native image size). The fit gets the atom {@code min(1, max(e - c, c - e))} (0 where the
     * size is kept, else 1) and a third of its points are moved to where it is 0.
     */
    private static List<Expr[]> keptSizes(NodeResult r) {
        List<Expr[]> out = new ArrayList<>();
        for (int i = 0; i < r.inputs().size(); i++) {
            Tensor in = r.inputs().get(i);
            // a feature map, not a weight (a conv's kernel [O, I, 3, 3] beside its output [N, O, H, W])
            // nor a vector of values (sizes, scales)
            if (i < r.stored().size() && r.stored().get(i) != null || in.values() != null) {
                continue;
            }
            for (Tensor o : r.result().outputs()) {
                if (!in.rankKnown() || !o.rankKnown() || in.rank() != o.rank()) {
                    continue;
                }
                for (int a = 0; a < in.rank() && out.size() < 4; a++) {
                    if (in.shape().dim(a) instanceof Dim.Fixed f && f.value() >= 2
                            && o.shape().dim(a) instanceof Dim.Symbolic sym && !sym.expr().isConstant()
                            && out.stream().noneMatch(k -> k[0].equals(sym.expr()) && k[1].constantValue() == f.value())) {
                        out.add(new Expr[] {sym.expr(), Expr.constant(f.value())});
                    }
                }
            }
        }
        return out;
    }

    /** Moves a third of the points to where a kept-size pair holds (its symbolic size equals the fixed one). */
    private void keep(Map<String, Long> point, Random random) {
        if (keeps.isEmpty() || random.nextInt(3) != 0) {
            return;
        }
        Expr[] k = keeps.get(random.nextInt(keeps.size()));
        List<String> syms = new ArrayList<>(k[0].symbols());
        if (syms.isEmpty()) {
            return;
        }
        String s = syms.get(random.nextInt(syms.size()));
        long c = k[1].constantValue();
        if (k[0].isSymbol() && c >= 1 && c <= 4096) { // the size is the symbol: the search's one hit is c
            random.nextInt(1); // the draw the search makes among its hits, so the points stay the same
            point.put(s, c);
            return;
        }
        List<Long> hits = new ArrayList<>();
        Map<String, Long> p = new HashMap<>(point);
        for (long v = 1; v <= 4096 && hits.size() < 64; v++) {
            p.put(s, v);
            try {
                if (k[0].eval(p) == k[1].constantValue()) {
                    hits.add(v);
                }
            } catch (ArithmeticException e) {
                // no value there
            }
        }
        if (!hits.isEmpty()) {
            point.put(s, hits.get(random.nextInt(hits.size())));
        }
    }

    private static Map<String, Long> point(Set<String> symbols, Random random) {
        Map<String, Long> p = new HashMap<>();
        for (String s : symbols) {
            // small sizes too, so that clamps (min(32, sequence)) and floors take several values
            p.put(s, random.nextBoolean() ? 1L + random.nextInt(SMALL) : (long) (LOW + random.nextInt(HIGH - LOW)));
        }
        return p;
    }

    private long[] atomValues(List<Expr> atoms, Map<String, Long> point) {
        long[] v = new long[atoms.size()];
        try {
            for (int i = 0; i < v.length; i++) {
                v[i] = at(atoms.get(i), point);
            }
        } catch (ArithmeticException e) {
            return null;
        }
        return v;
    }

    private static BigInteger[] row(List<int[]> monos, long[] atomValues) {
        BigInteger[] row = new BigInteger[monos.size()];
        for (int j = 0; j < row.length; j++) {
            long small = 1; // in a long while it fits (nearly always), else in BigInteger
            int[] exps = monos.get(j);
            try {
                for (int i = 0; i < exps.length; i++) {
                    for (int k = 0; k < exps[i]; k++) {
                        small = Math.multiplyExact(small, atomValues[i]);
                    }
                }
                row[j] = BigInteger.valueOf(small);
                continue;
            } catch (ArithmeticException e) {
                // past a long: below
            }
            BigInteger v = BigInteger.ONE;
            int[] e = monos.get(j);
            for (int i = 0; i < e.length; i++) {
                if (e[i] > 0) {
                    v = v.multiply(BigInteger.valueOf(atomValues[i]).pow(e[i]));
                }
            }
            row[j] = v;
        }
        return row;
    }

    /** Σ coef·monomial; rational coefficients over a common denominator L become ⌊(L·poly)/L⌋ (exact). */
    private static Expr build(Rational[] coef, List<int[]> monos, List<Expr> atoms) {
        BigInteger lcm = BigInteger.ONE;
        for (Rational c : coef) {
            lcm = lcm.divide(lcm.gcd(c.den())).multiply(c.den());
        }
        try {
            Expr sum = Expr.ZERO;
            for (int j = 0; j < coef.length; j++) {
                if (coef[j].num().signum() == 0) {
                    continue;
                }
                BigInteger c = coef[j].num().multiply(lcm.divide(coef[j].den()));
                Expr term = Expr.constant(c.longValueExact());
                int[] e = monos.get(j);
                for (int i = 0; i < e.length; i++) {
                    if (e[i] > 0) {
                        term = term.times(atoms.get(i).pow(e[i]));
                    }
                }
                sum = sum.plus(term);
            }
            return lcm.equals(BigInteger.ONE) ? sum : Expr.floorDiv(sum, lcm.longValueExact());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The rule's {macs, other} on the node's tensors at this point, or null where it gives none. */
    private long[] costAt(NodeResult r, OpRule rule, Map<String, Long> point) {
        List<Tensor> ins = new ArrayList<>(r.inputs().size());
        for (Tensor t : r.inputs()) {
            Tensor c = concrete(t, point);
            if (c == null || emptied(t, point)) {
                return null;
            }
            ins.add(c);
        }
        ruleRuns++;
        OpResult res;
        try {
            res = rule.apply(new PointContext(r.node(), ins, r.stored(), opset(r.node())));
        } catch (RuntimeException e) {
            return null;
        }
        if (res == null || !res.macs().known() || !res.otherFlops().known() || !res.problems().isEmpty()) {
            return null;
        }
        // a point where the node's sizes are what its expressions say (no window longer than its input,
        // no clamp the expressions leave out): elsewhere the model does not run as the formula describes
        List<Tensor> expected = r.result().outputs();
        for (int i = 0; i < expected.size() && i < res.outputs().size(); i++) {
            if (!agrees(expected.get(i), res.outputs().get(i), point)) {
                return null;
            }
        }
        return new long[] {res.macs().value(), res.otherFlops().value()};
    }

    /** The concrete output has the sizes the symbolic one's expressions give at the point, each at least 1. */
    private boolean agrees(Tensor symbolic, Tensor concrete, Map<String, Long> point) {
        if (!symbolic.rankKnown() || !concrete.rankKnown() || symbolic.rank() != concrete.rank()) {
            return true;
        }
        for (int i = 0; i < symbolic.rank(); i++) {
            if (symbolic.shape().dim(i) instanceof Dim.Symbolic s) {
                long want;
                try {
                    want = at(s.expr(), point);
                } catch (ArithmeticException e) {
                    return false;
                }
                if (want < 1 || !concrete.shape().dim(i).equals(Dim.of(want))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A symbolic size of the tensor is 0 at the point (a deep feature map of a tiny image): the
     * node's cost is 0 there whatever its polynomial, so such points would let a wrong fit pass
     * (a global pool's cost without its batch factor); they are not points where the model runs as
     * the expressions describe, like the outputs' sizes below 1 in {@link #agrees}.
     */
    private boolean emptied(Tensor t, Map<String, Long> point) {
        if (!t.shape().rankKnown()) {
            return false;
        }
        for (Dim d : t.shape().dims()) {
            if (d instanceof Dim.Symbolic s && at(s.expr(), point) < 1) {
                return true;
            }
        }
        return false;
    }

    private Tensor concrete(Tensor t, Map<String, Long> point) {
        if (!symbolic(t)) {
            return t;
        }
        try {
            Shape s = t.shape();
            if (s.rankKnown()) {
                List<Dim> dims = new ArrayList<>(s.rank());
                for (Dim d : s.dims()) {
                    long v = d instanceof Dim.Symbolic sym ? at(sym.expr(), point) : -2;
                    if (v == -2) {
                        dims.add(d);
                    } else if (v < 0) {
                        return null;
                    } else {
                        dims.add(Dim.of(v));
                    }
                }
                s = new Shape(dims);
            }
            List<SymInt> values = t.values();
            if (values != null) {
                List<SymInt> vs = new ArrayList<>(values.size());
                for (SymInt v : values) {
                    vs.add(v instanceof SymInt.Sym sym ? SymInt.of(at(sym.expr(), point)) : v);
                }
                values = vs;
            }
            return new Tensor(t.dtype(), s, values, t.type(), t.items());
        } catch (ArithmeticException e) {
            return null;
        }
    }

    static boolean symbolic(Tensor t) {
        return !exprs(t).isEmpty();
    }

    /** The symbolic sizes and values of a tensor. */
    private static List<Expr> exprs(Tensor t) {
        List<Expr> out = new ArrayList<>();
        if (t.shape().rankKnown()) {
            for (Dim d : t.shape().dims()) {
                if (d instanceof Dim.Symbolic s) {
                    out.add(s.expr());
                }
            }
        }
        if (t.values() != null) {
            for (SymInt v : t.values()) {
                if (v instanceof SymInt.Sym s) {
                    out.add(s.expr());
                }
            }
        }
        return out;
    }

    private long opset(Node n) {
        return NodeView.opsetOf(opsets, n);
    }

    /** A node's rule view at one point: concrete tensors, the same stored weights, no subgraphs. */
    private static final class PointContext extends NodeView {
        PointContext(Node node, List<Tensor> inputs, List<Weight> stored, long opset) {
            super(node, inputs, stored, opset);
        }

        @Override
        public List<Tensor> runSubgraph(Graph graph, List<Tensor> ins, dev.modeltally.ops.Count runs) {
            throw new UnsupportedOperationException("a subgraph's cost is fitted node by node");
        }
    }
}
