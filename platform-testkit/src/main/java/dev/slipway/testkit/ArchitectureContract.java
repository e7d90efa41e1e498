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
    check(ArchitectureRules.featuresAreFreeOfCycles(servicePackage()));
  }

  @Test
  public void entitiesNeverLeavePersistence() {
    check(ArchitectureRules.entitiesStayInPersistence(servicePackage()));
  }

  private void check(ArchRule rule) {
    FreezingArchRule.freeze(rule).check(classes);
  }
}
