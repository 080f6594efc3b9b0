package dev.modeltally.ir;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every finding code modeltally emits, with its severity and a one-line summary. docs/findings.md
 * documents each one (FindingCodeTest fails when the two disagree), and creating a {@link Finding}
 * whose code is not here fails an assertion (enabled in the tests): a new code is one constant here
 * plus one row there.
 */
public enum FindingCode {
    EXTERNAL_DATA_MISSING(Severity.WARNING, "An ONNX external data file does not exist"),
    EXTERNAL_DATA_SIZE_MISMATCH(Severity.WARNING, "The external data file exists but ends before a tensor's offset + length"),
    EXTERNAL_DATA_OUTSIDE_FOLDER(Severity.ERROR, "An external data location is absolute, contains .., or resolves outside the model's folder"),
    EXTERNAL_DATA_UNSAFE_FILE(Severity.ERROR, "The external data file is a symbolic link (or lies under one), a hard link (link count > 1), a device, a FIFO, a socket or a folder"),
    DUPLICATE_INITIALIZER(Severity.WARNING, "Two initializers of one graph share a name; the first is used"),
    UNUSED_INITIALIZER(Severity.WARNING, "An initializer no node uses and that is not a graph output"),
    SHARED_WEIGHT(Severity.INFO, "A tensor used by several nodes (tied weights); counted once"),
    TENSOR_WITHOUT_DATA(Severity.WARNING, "A tensor declares non-empty dims but stores no data at all"),
    WEIGHT_SHAPE_UNKNOWN(Severity.WARNING, "A stored tensor without fixed dims; not counted"),
    ELEMENT_COUNT_OVERFLOW(Severity.ERROR, "A tensor's dims multiply past 2^63 − 1"),
    CUSTOM_DOMAIN(Severity.INFO, "Nodes use operators outside the standard ONNX domains (listed by op type and count)"),
    MODEL_LOCAL_FUNCTION(Severity.INFO, "The model defines local functions (listed by name)"),
    TIED_WEIGHT_STORED_TWICE(Severity.INFO, "An embedding table read by a Gather and a second tensor of the transposed shape"),
    KERAS_LAMBDA(Severity.ERROR, "A layer whose config holds code that loading the model would run"),
    KERAS_CUSTOM_CLASS(Severity.WARNING, "A layer, model or referenced function whose class is not part of Keras (a class registered with register_keras_serializable, a subclassed model, a function from another module)"),
    KERAS_WEIGHT_SHAPE_MISMATCH(Severity.ERROR, "A built-in layer stores a weight whose shape differs from what its config (and input size) implies; the message gives both shapes"),
    KERAS_WEIGHT_MISSING(Severity.WARNING, "A weight the layer's config implies is not stored, or weight_names / layer_names lists something the file does not have"),
    KERAS_WEIGHT_EXTRA(Severity.WARNING, "A stored weight the layer's config does not explain, weights stored for a layer the config does not have (counted), or a dataset in a layer's group that its weight_names does not list (ignored by Keras, not counted)"),
    HDF5_EXTERNAL_LINK(Severity.WARNING, "An HDF5 external link (to another file)"),
    HDF5_SOFT_LINK(Severity.WARNING, "An HDF5 soft link"),
    HDF5_EXTERNAL_STORAGE(Severity.WARNING, "A group holds a dataset whose bytes are in another file (HDF5 external storage)"),
    HDF5_VIRTUAL_DATASET(Severity.WARNING, "A group holds a virtual dataset (mapped from other datasets or files)"),
    KERAS_WEIGHTS_ONLY(Severity.INFO, "A weights-only Keras file"),
    KERAS_CONFIG_SUPPLIED(Severity.INFO, "A weights-only Keras file was read with the architecture given by --config (named in the message and in metadata.architecture); counts, trainable split and compute are those of that architecture"),
    KERAS_CONFIG_IGNORED(Severity.INFO, "--config was given but the file carries its own architecture (ONNX, full .h5, .keras), so it was not used"),
    WEIGHT_SHAPE_MISMATCH(Severity.ERROR, "A stored weight's shape differs from what the node's attributes and input shapes imply (e.g"),
    SYNTHESIZED_WEIGHT(Severity.WARNING, "Weight inputs (Conv/Gemm/MatMul weight, Gemm C bias, norm scale, per-channel affine operand, ...) made at run time by ConstantOfShape or RandomNormal/Uniform(Like), as in \"light\" models stripped of their weights: one finding with the count, the total and at most 10 names"),
    CONSTANT_NODE_WEIGHTS(Severity.INFO, "Parameters held by Constant nodes that nodes consume as weights (paddle2onnx, spox); counted as parameters"),
    WEIGHT_FROM_INPUT(Severity.INFO, "A weight input is a graph input"),
    BATCHNORM_FOLDED(Severity.INFO, "Evidence that torch.onnx folded BatchNormalization into convolutions"),
    DECLARED_SHAPE_MISMATCH(Severity.WARNING, "The file declares (value_info / graph output) a shape that contradicts the one inferred from the inputs and the op's equations"),
    SHAPE_CONTRADICTION(Severity.WARNING, "An op's inputs contradict each other or its attributes (inner dims of a MatMul, broadcasting, a Reshape whose element count differs, axes out of range)"),
    GRAPH_CYCLE(Severity.ERROR, "Nodes lie on or behind a cycle; they are not evaluated (and the totals are lower bounds)"),
    UNDEFINED_INPUT(Severity.WARNING, "A node reads a name no input, initializer or node defines"),
    INPUT_SHAPE_UNMATCHED(Severity.ERROR, "--input-shape names something that is not an input of the model"),
    INPUT_VALUE_UNMATCHED(Severity.ERROR, "--input-value names something that is not an input of the model, or gives values the input cannot hold"),
    MEMORY_FAILED(Severity.ERROR, "The memory estimate stopped (a bug); memory is null, compute and counts still are"),
    FORMULA_FAILED(Severity.WARNING, "The cost formula over the symbolic dims stopped (a bug); compute.formula is null, the concrete figures still are"),
    SHAPE_RULE_ERROR(Severity.WARNING, "An op's rule failed on a node (a bug in modeltally); that node's outputs are unknown"),
    COMPUTE_FAILED(Severity.ERROR, "Shape inference stopped altogether (a bug or a pathological graph); compute is not estimated, counts still are"),
    EVALUATION_BUDGET(Severity.WARNING, "Subgraphs nest so deeply (Loop bodies are evaluated twice when their carried shapes change) that evaluating them all would take more than 16 × the model's node count + 100,000 node evaluations; the rest are not evaluated and the totals are lower bounds");

    private final Severity severity;
    private final String summary;

    FindingCode(Severity severity, String summary) {
        this.severity = severity;
        this.summary = summary;
    }

    /** The stable code as it appears in reports: {@code external-data-missing}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Severity severity() {
        return severity;
    }

    public String summary() {
        return summary;
    }

    /** The constant for a code as reports spell it, or null when there is none. */
    public static FindingCode of(String code) {
        return Lookup.BY_CODE.get(code);
    }

    /** Built on first use (lazy holder): nothing runs when the IR is loaded. */
    private static final class Lookup {
        static final Map<String, FindingCode> BY_CODE = Stream.of(values())
                .collect(Collectors.toUnmodifiableMap(FindingCode::code, Function.identity()));
    }
}
