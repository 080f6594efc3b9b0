package dev.modeltally.ops;

import dev.modeltally.ir.Shape;

/**
 * A weight a rule expects at one input: {@code expected} has the dims the attributes and the other
 * inputs imply (Unknown where they say nothing; unknown rank when nothing is implied).
 *
 * @param input the node input that holds it; -1 for a Keras layer weight the config implies but no
 *              stored variable of that name supplies (reported as missing)
 * @param role a short name for messages: "weight", "bias", "scale", "recurrence weight", ...
 */
public record WeightSpec(int input, Shape expected, String role) {
}
