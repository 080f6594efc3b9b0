package dev.modeltally.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of the project (COMMON.md / design.md) as tests over the compiled main classes:
 * cli → report → analysis → ops → ir; format → ir; the facade (package dev.modeltally: ModelTally,
 * Scanner) joins format and analysis; spark uses the facade; ir imports nothing of ours; nothing
 * imports cli; analysis and ops never import format; and no package cycles.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.modeltally";
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    /** Classes of ours outside {@code allowed} (package patterns; ".." = with subpackages). */
    private static void onlyDependsOn(String pkg, String... allowed) {
        String[] ours = new String[allowed.length + 1];
        ours[0] = pkg;
        System.arraycopy(allowed, 0, ours, 1, allowed.length);
        classes().that().resideInAPackage(pkg)
                .should().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are outside dev.modeltally or in " + String.join(", ", ours),
                        c -> !c.getPackageName().equals(ROOT) && !c.getPackageName().startsWith(ROOT + ".")
                                || matchesAny(c.getPackageName(), ours)))
                .allowEmptyShould(true)
                .check(main);
    }

    private static boolean matchesAny(String pkg, String[] patterns) {
        for (String p : patterns) {
            if (p.endsWith("..")) {
                String base = p.substring(0, p.length() - 2);
                if (pkg.equals(base) || pkg.startsWith(base + ".")) {
                    return true;
                }
            } else if (pkg.equals(p)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void irImportsNothingOfOurs() {
        onlyDependsOn("dev.modeltally.ir..");
    }

    @Test
    void opsSeeOnlyIr() {
        onlyDependsOn("dev.modeltally.ops..", "dev.modeltally.ir..");
    }

    @Test
    void analysisSeesOpsAndIr() {
        onlyDependsOn("dev.modeltally.analysis..", "dev.modeltally.ops..", "dev.modeltally.ir..");
    }

    @Test
    void reportSeesAnalysisOpsAndIr() {
        onlyDependsOn("dev.modeltally.report..", "dev.modeltally.analysis..", "dev.modeltally.ops..",
                "dev.modeltally.ir..");
    }

    @Test
    void formatSeesOnlyIr() {
        onlyDependsOn("dev.modeltally.format..", "dev.modeltally.ir..");
    }

    @Test
    void analysisAndOpsNeverImportFormat() {
        noClasses().that().resideInAnyPackage("dev.modeltally.analysis..", "dev.modeltally.ops..")
                .should().dependOnClassesThat().resideInAPackage("dev.modeltally.format..")
                .check(main);
    }

    @Test
    void nothingImportsCli() {
        noClasses().that().resideOutsideOfPackage("dev.modeltally.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.modeltally.cli..")
                .check(main);
    }

    /** The facade joins format and analysis; it does not render (report) or parse arguments (cli). */
    @Test
    void facadeJoinsFormatAndAnalysis() {
        onlyDependsOn(ROOT, "dev.modeltally.format..", "dev.modeltally.analysis..", "dev.modeltally.ir..");
    }

    /** The distributed scan goes through the facade, never a reader directly. */
    @Test
    void sparkUsesTheFacade() {
        noClasses().that().resideInAPackage("dev.modeltally.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.modeltally.format.onnx..",
                        "dev.modeltally.format.keras..", "dev.modeltally.format.registry..", "dev.modeltally.cli..")
                .allowEmptyShould(true)
                .check(main);
    }

    /** Every package (subpackages apart), the facade's included: no cycles between them. */
    @Test
    void noPackageCycles() {
        slices().matching("dev.(**)").should().beFreeOfCycles().check(main);
    }
}
