package dev.slipway.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The architecture rules catch each kind of violation on a bad fixture and pass a good one. */
class ArchitectureRulesTest {

  private static final String BAD = "dev.slipway.testkit.archfixture.bad";
  private static final String GOOD = "dev.slipway.testkit.archfixture.good";

  private static final JavaClasses BAD_CLASSES = new ClassFileImporter().importPackages(BAD);
  private static final JavaClasses GOOD_CLASSES = new ClassFileImporter().importPackages(GOOD);

  @Test
  void domainClassUsingJaxRsIsReported() {
    assertViolation(
        ArchitectureRules::domainImportsNoTransport, "Orders.place", "jakarta.ws.rs.core.Response");
  }

  @Test
  void restResourceReturningAnEntityIsReported() {
    assertViolation(ArchitectureRules::restTouchesNoEntities, "OrdersResource.get", "OrderEntity");
  }

  @Test
  void cycleBetweenTwoFeaturesIsReported() {
    assertViolation(ArchitectureRules::featuresAreFreeOfCycles, "Slice billing", "Slice orders");
  }

  @Test
  void entityUsedOutsidePersistenceIsReported() {
    assertViolation(
        ArchitectureRules::entitiesStayInPersistence, "OrdersResource.get", "OrderEntity");
  }

  @Test
  void goodFixturePassesEveryRule() {
    assertEquals(4, ArchitectureRules.all(GOOD).size());
    for (ArchRule rule : ArchitectureRules.all(GOOD)) {
      EvaluationResult result = rule.evaluate(GOOD_CLASSES);
      assertFalse(result.hasViolation(), () -> result.getFailureReport().toString());
    }
  }

  private static void assertViolation(Function<String, ArchRule> rule, String... mentions) {
    EvaluationResult result = rule.apply(BAD).evaluate(BAD_CLASSES);
    assertTrue(result.hasViolation(), "expected a violation of: " + rule.apply(BAD));
    String report = result.getFailureReport().toString();
    for (String mention : mentions) {
      assertTrue(
          report.contains(mention), () -> "report does not name " + mention + ":\n" + report);
    }
  }
}
