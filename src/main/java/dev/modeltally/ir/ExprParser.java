package dev.modeltally.ir;

/**
 * Reads the formula grammar: integers, symbols ({@code [A-Za-z_][A-Za-z0-9_.]*}), {@code + - *},
 * {@code ^} with a non-negative integer exponent, parentheses, {@code floor(a/b)}, {@code ceil(a/b)}
 * with a positive integer divisor, {@code min(a,b)}, {@code max(a,b)}. Nothing else is accepted.
 */
final class ExprParser {

    private final String s;
    private int pos;

    private ExprParser(String s) {
        this.s = s;
    }

    static Expr parse(String text) {
        if (text == null || text.length() > 100_000) {
            throw new IllegalArgumentException("no expression");
        }
        ExprParser p = new ExprParser(text);
        Expr e = p.sum();
        p.skip();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return e;
    }

    private Expr sum() {
        Expr e = product();
        while (true) {
            skip();
            if (eat('+')) {
                e = e.plus(product());
            } else if (eat('-')) {
                e = e.minus(product());
            } else {
                return e;
            }
        }
    }

    private Expr product() {
        Expr e = power();
        while (true) {
            skip();
            if (eat('*')) {
                if (peek() == '*') {
                    throw error("'**' is not in the grammar (use ^)");
                }
                e = e.times(power());
            } else {
                return e;
            }
        }
    }

    private Expr power() {
        Expr base = unary();
        skip();
        if (eat('^')) {
            skip();
            long n = integer();
            if (n > 64) {
                throw error("exponent too large");
            }
            return base.pow((int) n);
        }
        return base;
    }

    private Expr unary() {
        skip();
        if (eat('-')) {
            return unary().negate();
        }
        return primary();
    }

    private Expr primary() {
        skip();
        char c = peek();
        if (c == '(') {
            pos++;
            Expr e = sum();
            expect(')');
            return e;
        }
        if (Character.isDigit(c)) {
            return Expr.constant(integer());
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
                    || s.charAt(pos) == '.')) {
                pos++;
            }
            String id = s.substring(start, pos);
            skip();
            if (peek() == '(') {
                return call(id);
            }
            return Expr.symbol(id);
        }
        throw error(pos >= s.length() ? "unexpected end" : "unexpected '" + c + "'");
    }

    private Expr call(String fn) {
        expect('(');
        Expr a = sum();
        switch (fn) {
            case "floor", "ceil" -> {
                expect('/');
                skip();
                long d = integer();
                if (d <= 0) {
                    throw error("divisor must be positive");
                }
                expect(')');
                return fn.equals("floor") ? Expr.floorDiv(a, d) : Expr.ceilDiv(a, d);
            }
            case "min", "max" -> {
                expect(',');
                Expr b = sum();
                expect(')');
                return fn.equals("min") ? Expr.min(a, b) : Expr.max(a, b);
            }
            default -> throw error("unknown function '" + fn + "'");
        }
    }

    private long integer() {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("integer expected");
        }
        try {
            return Long.parseLong(s.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("integer too large");
        }
    }

    private void expect(char c) {
        skip();
        if (!eat(c)) {
            throw error("'" + c + "' expected");
        }
    }

    private boolean eat(char c) {
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skip() {
        while (pos < s.length() && s.charAt(pos) == ' ') {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + pos + " in '" + s + "'");
    }
}
