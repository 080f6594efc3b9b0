package dev.modeltally.ops;

/**
 * The shape, weight and cost rule of one op (or one family of ops). A rule reads its node's
 * attributes and input tensors from the context and states, as dimension equations, the output
 * tensors, the weight shapes it expects and its MACs and other FLOPs. What it cannot decide it
 * leaves unknown; it never guesses and never throws for a valid model.
 */
@FunctionalInterface
public interface OpRule {
    OpResult apply(OpContext ctx);
}
