package dev.modeltally.ir;

/** A shape whose element count does not fit in a signed 64-bit integer: a broken or hostile file. */
public final class ElementCountOverflowException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public ElementCountOverflowException(Shape shape) {
        super("element count of shape " + shape + " overflows 64 bits");
    }
}
