package dev.modeltally.analysis;

/** Stored tensors that are not parameters: integer/bool/string initializers and Constant-node values. */
public record Constants(long elements, long bytes, int tensors) {
}
