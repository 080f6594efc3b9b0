package dev.modeltally.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Turns scan rows (JSON lines) into Parquet columns: the fields of the JSON report contract as typed
 * columns, and the whole line in {@code row_json} so that nothing the JSON row has is lost (per-node
 * lists, symbolic formulas, fields added later). Shapes are strings, as dims may be symbolic.
 */
final class ParquetRows {

    private static final String SHAPED = "array<struct<name: string, dtype: string, shape: array<string>>>";

    static final String DDL = String.join(", ",
            "path string", "format string", "producer string", "opset string",
            "opsets map<string, bigint>", "metadata map<string, string>",
            "parameters struct<total: bigint, trainable: bigint, non_trainable: bigint, bytes: bigint, "
                    + "by_dtype: map<string, bigint>, tensors: bigint>",
            "constants struct<elements: bigint, bytes: bigint, tensors: bigint>",
            "compute struct<macs: bigint, flops: bigint, other_flops: bigint, lower_bound: boolean, "
                    + "assumed: array<string>, notes: array<string>, coverage: struct<nodes: bigint, "
                    + "shapes_resolved: bigint, ops_without_rule: map<string, bigint>, cost_unknown: bigint, "
                    + "not_executed: bigint>, by_op_type: map<string, struct<nodes: bigint, macs: bigint, "
                    + "flops: bigint, other_flops: bigint, cost_unknown: bigint>>>",
            "compute_unavailable string",
            "memory struct<weights_bytes: bigint, activations_bytes: bigint, peak_bytes: bigint, peak_at: string>",
            "inputs " + SHAPED, "outputs " + SHAPED,
            "findings array<struct<severity: string, code: string, message: string, where: string>>",
            "has_graph boolean",
            "error struct<kind: string, message: string>",
            "io struct<bytes_read: bigint, reads: bigint>");

    static final StructType SCHEMA = (StructType) DataType.fromDDL(DDL);

    private ParquetRows() {
    }

    /** {@code lines} (one column, {@code value}) as contract columns plus {@code row_json}. */
    static Dataset<Row> of(Dataset<String> lines) {
        return lines.select(from_json(col("value"), SCHEMA, Map.of("mode", "PERMISSIVE")).as("r"),
                        col("value").as("row_json"))
                .select("r.*", "row_json");
    }
}
