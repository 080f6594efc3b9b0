package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Weight;
import java.util.List;

/** What a rule may know about its node: attributes, input tensors, stored weights, subgraphs. */
public interface OpContext {

    Node node();

    default Attributes attrs() {
        return node().attrs();
    }

    /** Number of inputs the node lists (omitted optional inputs included). */
    default int inputCount() {
        return node().inputs().size();
    }

    /** True when input {@code i} is given (listed and not the empty name). */
    default boolean present(int i) {
        return i < node().inputs().size() && !node().inputs().get(i).isEmpty();
    }

    /** What is known of input {@code i}; {@link Tensor#UNKNOWN} when absent. */
    Tensor input(int i);

    /** The stored tensor (initializer, constant, Keras variable) that input {@code i} reads, or null. */
    Weight storedWeight(int i);

    /** The version of the operator set of the node's domain, or 0 when the file does not say. */
    long opset();

    /**
     * Runs shape inference over a subgraph (If branch, Loop/Scan body) with the given tensors bound
     * to its inputs. {@code runs} is how many times the body runs per execution of this node (may be
     * unknown; 0 when it never runs); the cost of the subgraph's nodes is counted that many times.
     * Running the same subgraph again replaces the earlier result.
     */
    List<Tensor> runSubgraph(Graph graph, List<Tensor> inputs, Count runs);

    /**
     * Like {@link #runSubgraph}, for one of several evaluations of the same subgraph on inputs of
     * different shapes (SequenceMap over elements of different shapes): each is kept apart, under
     * {@code label}, instead of replacing the others.
     */
    default List<Tensor> runSubgraphInstance(Graph graph, List<Tensor> inputs, Count runs, String label) {
        return runSubgraph(graph, inputs, runs);
    }

    /**
     * Runs the branches of a node whose choice is not known (an If whose condition is not known):
     * each is evaluated as if it ran, and the estimate gives the range of cost over them, naming this
     * node and what decides it. Returns each branch's outputs.
     */
    default List<List<Tensor>> runBranches(List<Graph> branches, List<Tensor> inputs) {
        List<List<Tensor>> out = new java.util.ArrayList<>();
        for (Graph g : branches) {
            out.add(runSubgraph(g, inputs, Count.UNKNOWN));
        }
        return out;
    }
}
