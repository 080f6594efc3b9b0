package dev.modeltally.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Severity;
import java.util.Set;
import java.util.TreeSet;

/**
 * Findings as a SARIF 2.1.0 log, so they show up in code-scanning dashboards. Each finding is a
 * result located at its model file (and, logically, at the node/tensor it names); a file that cannot
 * be read is a result of rule {@code unreadable-file}.
 */
public final class SarifReport {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ArrayNode results = F.arrayNode();
    private final Set<String> rules = new TreeSet<>();
    private final String version;

    public SarifReport(String toolVersion) {
        this.version = toolVersion;
    }

    public void add(Report r) {
        if (r.failed()) {
            result("unreadable-file", "error", r.error().kind() + ": " + r.error().message(), r.path(), null);
            return;
        }
        for (Finding f : r.findings()) {
            result(f.code(), level(f.severity()), f.message(), r.path(), f.where());
        }
    }

    private void result(String rule, String level, String message, String path, String where) {
        rules.add(rule);
        ObjectNode res = results.addObject();
        res.put("ruleId", rule);
        res.put("level", level);
        res.putObject("message").put("text", message);
        ObjectNode loc = res.putArray("locations").addObject();
        loc.putObject("physicalLocation").putObject("artifactLocation").put("uri", uri(path));
        if (where != null && !where.isEmpty()) {
            loc.putArray("logicalLocations").addObject().put("name", where);
        }
    }

    private static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    private static String uri(String path) {
        return path.replace('\\', '/');
    }

    public ObjectNode document() {
        ObjectNode doc = F.objectNode();
        doc.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        doc.put("version", "2.1.0");
        ObjectNode run = doc.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "modeltally");
        driver.put("version", version);
        driver.put("informationUri", "https://github.com/modeltally/modeltally/blob/main/docs/findings.md");
        ArrayNode ruleList = driver.putArray("rules");
        for (String id : rules) {
            ObjectNode rule = ruleList.addObject();
            rule.put("id", id);
            rule.putObject("shortDescription").put("text", id.replace('-', ' '));
            rule.put("helpUri", "https://github.com/modeltally/modeltally/blob/main/docs/findings.md");
        }
        run.set("results", results);
        return doc;
    }
}
