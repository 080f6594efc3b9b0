package dev.modeltally.analysis;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An evaluator of the {@code compute.formula} grammar, written apart from the analysis's own
 * expression code so that FormulaPointsTest checks it independently: integers, symbols
 * ({@code [A-Za-z_][A-Za-z0-9_]*}), {@code + - *}, unary minus, {@code ^} with an integer literal
 * exponent, parentheses, {@code floor(a/b)}, {@code ceil(a/b)}, {@code min(a,b)}, {@code max(a,b)}.
 * Anything else ({@code /} outside floor/ceil, {@code **}, other function names, decimals, a symbol
 * exponent) is refused with an {@link IllegalArgumentException} naming the position.
 *
 * <pre>
 * expr    := term (('+' | '-') term)*
 * term    := unary ('*' unary)*
 * unary   := '-' unary | power
 * power   := primary ('^' INTEGER)?
 * primary := INTEGER | SYMBOL | '(' expr ')'
 *          | ('floor' | 'ceil') '(' expr '/' expr ')' | ('min' | 'max') '(' expr ',' expr ')'
 * </pre>
 * Arithmetic is exact (BigInteger); floor rounds toward −∞ and ceil toward +∞, for negative operands too.
 */
final class FormulaEvaluator {

    private static final Set<String> FUNCTIONS = Set.of("floor", "ceil", "min", "max");
    private static final int MAX_EXPONENT = 64;

    /** A parsed expression. */
    sealed interface Expr permits Num, Sym, Neg, Bin, Pow, Call {
    }

    record Num(BigInteger value) implements Expr {
    }

    record Sym(String name) implements Expr {
    }

    record Neg(Expr e) implements Expr {
    }

    record Bin(char op, Expr a, Expr b) implements Expr {
    }

    record Pow(Expr base, int exponent) implements Expr {
    }

    record Call(String function, Expr a, Expr b) implements Expr {
    }

    private final String text;
    private int pos;

    private FormulaEvaluator(String text) {
        this.text = text;
    }

    /** Parses {@code text}; throws IllegalArgumentException when it is outside the grammar. */
    static Expr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no expression (null)");
        }
        FormulaEvaluator p = new FormulaEvaluator(text);
        Expr e = p.expr();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return e;
    }

    /** The value of {@code text} with each symbol given by {@code values}. */
    static BigInteger evaluate(String text, Map<String, BigInteger> values) {
        return evaluate(parse(text), values);
    }

    static BigInteger evaluate(Expr e, Map<String, BigInteger> values) {
        if (e instanceof Num n) {
            return n.value();
        }
        if (e instanceof Sym s) {
            BigInteger v = values.get(s.name());
            if (v == null) {
                throw new IllegalArgumentException("symbol '" + s.name() + "' has no value (given: "
                        + new TreeSet<>(values.keySet()) + ")");
            }
            return v;
        }
        if (e instanceof Neg n) {
            return evaluate(n.e(), values).negate();
        }
        if (e instanceof Pow p) {
            return evaluate(p.base(), values).pow(p.exponent());
        }
        if (e instanceof Bin b) {
            BigInteger x = evaluate(b.a(), values);
            BigInteger y = evaluate(b.b(), values);
            return switch (b.op()) {
                case '+' -> x.add(y);
                case '-' -> x.subtract(y);
                default -> x.multiply(y);
            };
        }
        Call c = (Call) e;
        BigInteger x = evaluate(c.a(), values);
        BigInteger y = evaluate(c.b(), values);
        return switch (c.function()) {
            case "floor" -> floorDiv(x, y);
            case "ceil" -> floorDiv(x.negate(), y).negate();
            case "min" -> x.min(y);
            default -> x.max(y);
        };
    }

    /** The symbols {@code e} reads. */
    static Set<String> symbols(Expr e) {
        Set<String> out = new TreeSet<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, Set<String> out) {
        if (e instanceof Sym s) {
            out.add(s.name());
        } else if (e instanceof Neg n) {
            collect(n.e(), out);
        } else if (e instanceof Pow p) {
            collect(p.base(), out);
        } else if (e instanceof Bin b) {
            collect(b.a(), out);
            collect(b.b(), out);
        } else if (e instanceof Call c) {
            collect(c.a(), out);
            collect(c.b(), out);
        }
    }

    static BigInteger floorDiv(BigInteger a, BigInteger b) {
        if (b.signum() == 0) {
            throw new ArithmeticException("division by zero in floor/ceil");
        }
        BigInteger[] qr = a.divideAndRemainder(b); // truncates toward zero
        if (qr[1].signum() != 0 && qr[1].signum() != b.signum()) {
            return qr[0].subtract(BigInteger.ONE);
        }
        return qr[0];
    }

    private Expr expr() {
        Expr e = term();
        while (true) {
            skipSpace();
            if (peek('+') || peek('-')) {
                char op = text.charAt(pos++);
                e = new Bin(op, e, term());
            } else {
                return e;
            }
        }
    }

    private Expr term() {
        Expr e = unary();
        while (true) {
            skipSpace();
            if (peek('*')) {
                pos++;
                skipSpace();
                if (peek('*')) {
                    throw error("'**' is not in the grammar (use ^)");
                }
                e = new Bin('*', e, unary());
            } else {
                return e;
            }
        }
    }

    private Expr unary() {
        skipSpace();
        if (peek('-')) {
            pos++;
            return new Neg(unary());
        }
        return power();
    }

    private Expr power() {
        Expr base = primary();
        skipSpace();
        if (!peek('^')) {
            return base;
        }
        pos++;
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
            pos++;
        }
        if (start == pos) {
            throw error("'^' needs a non-negative integer literal exponent");
        }
        BigInteger exponent = new BigInteger(text.substring(start, pos));
        if (exponent.compareTo(BigInteger.valueOf(MAX_EXPONENT)) > 0) {
            throw error("exponent " + exponent + " is larger than " + MAX_EXPONENT);
        }
        skipSpace();
        if (peek('^')) {
            throw error("chained '^' is ambiguous; use parentheses");
        }
        return new Pow(base, exponent.intValue());
    }

    private Expr primary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("expression ends early");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Expr e = expr();
            expect(')');
            return e;
        }
        if (c >= '0' && c <= '9') {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos < text.length() && (text.charAt(pos) == '.' || Character.isLetter(text.charAt(pos))
                    || text.charAt(pos) == '_')) {
                throw error("a number must be a plain integer");
            }
            return new Num(new BigInteger(text.substring(start, pos)));
        }
        if (isIdentStart(c)) {
            int start = pos;
            while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            String name = text.substring(start, pos);
            skipSpace();
            boolean call = peek('(');
            if (FUNCTIONS.contains(name)) {
                if (!call) {
                    throw error("'" + name + "' is a function: " + name + "(a" + (name.length() > 3 ? "/" : ",") + "b)");
                }
                return call(name);
            }
            if (call) {
                throw error("unknown function '" + name + "' (only floor, ceil, min, max)");
            }
            return new Sym(name);
        }
        throw error("unexpected '" + c + "'");
    }

    private Expr call(String name) {
        expect('(');
        Expr a = expr();
        boolean division = name.equals("floor") || name.equals("ceil");
        expect(division ? '/' : ',');
        Expr b = expr();
        expect(')');
        return new Call(name, a, b);
    }

    private void expect(char c) {
        skipSpace();
        if (!peek(c)) {
            throw error(pos >= text.length() ? "expected '" + c + "' at the end" : "expected '" + c + "'");
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private static boolean isIdentStart(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || c >= '0' && c <= '9';
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at position " + pos + " of \"" + text + "\"");
    }
}
