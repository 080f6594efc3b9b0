package dev.modeltally.analysis;

import java.util.List;

/**
 * An If whose condition was not known: its branches were both evaluated, as alternatives, and the
 * compute estimate gives the range over them.
 *
 * @param graph     the path of the graph holding the If ("" for the main graph)
 * @param node      the If's display name
 * @param branches  the graph paths of its branches (as {@link NodeResult#graph()} names them)
 * @param decidedBy what decides the condition, for the user: "input 'sr'" or "the value 'cond' computed by node 'x'"
 */
public record Alternative(String graph, String node, List<String> branches, String decidedBy) {
    public Alternative {
        branches = List.copyOf(branches);
    }
}
