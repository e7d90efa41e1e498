package dev.slipway.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The architecture rules run against one service's main classes (plain JUnit, no Quarkus boot).
 * Violations that existed when the rules arrived are frozen in the module's {@code
 * src/test/archunit-store} (see archunit.properties): they are listed there and may only shrink;
 * any new violation fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ArchitectureContract {

  private JavaClasses classes;

  /** The service's base package, e.g. {@code dev.slipway.build}. */
  protected abstract String servicePackage();

  @BeforeAll
  void importServiceClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(servicePackage());
  }

  @Test
  public void domainPackagesImportNoRestKafkaOrKubernetesTypes() {
    check(ArchitectureRules.domainImportsNoTransport(servicePackage()));
  }

  @Test
  public void restResourcesTouchNoPersistenceEntities() {
    check(ArchitectureRules.restTouchesNoEntities(servicePackage()));
  }

  @Test
  public void featuresHaveNoPackageCycles() {
    FreezingArchRule.freeze(ArchitectureRules.featuresAreFreeOfCycles(servicePackage()))
        .associateViolationLinesVia((stored, actual) -> cyclePath(stored).equals(cyclePath(actual)))
        .check(classes);
  }

  @Test
  public void entitiesNeverLeavePersistence() {
    check(ArchitectureRules.entitiesStayInPersistence(servicePackage()));
  }

  /**
   * A frozen cycle is known by its slices alone: its listed dependencies change with every edit to
   * the classes on it, and that must not make an old cycle look new.
   */
  private static String cyclePath(String violation) {
    int details = violation.indexOf("1. Dependencies of");
    String path = details < 0 ? violation : violation.substring(0, details);
    return path.replaceAll("\\s+", " ").trim();
  }

  private void check(ArchRule rule) {
    FreezingArchRule.freeze(rule).check(classes);
  }
}
