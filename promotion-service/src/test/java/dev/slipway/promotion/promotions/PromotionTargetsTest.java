package dev.slipway.promotion.promotions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slipway.promotion.pipeline.PipelineSpec;
import dev.slipway.promotion.pipeline.PipelineSpec.Coupling;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which apps a promotion ships to, as a table over one pipeline with every stage. */
class PromotionTargetsTest {

  static final PipelineSpec SHOP =
      new PipelineSpec(
          "shop",
          "https://git.example.com/shop.git",
          "gitea",
          "main",
          null,
          null,
          List.of(
              new Coupling("review", "web-pr"),
              new Coupling("staging", "web-staging"),
              new Coupling("production", "web-prod"),
              new Coupling("production", "web-prod-eu")),
          new PipelineSpec.AutoDeployPolicy(false, "main", false),
          new PipelineSpec.ReviewAppPolicy(false, false, 5, "shop"),
          Map.of(),
          Map.of(),
          new PipelineSpec.PromotionPolicy(0, false, false));

  @ParameterizedTest(name = "{0} -> [{1}] ships to [{2}]")
  @CsvSource(
      delimiter = '|',
      value = {
        // by default, the next stage's apps, in the pipeline's order
        "web-staging | ''                    | web-prod, web-prod-eu",
        "web-pr      | ''                    | web-staging",
        // named targets: any other app of the pipeline, each once, in the order asked
        "web-staging | web-prod-eu           | web-prod-eu",
        "web-staging | web-prod-eu, web-prod | web-prod-eu, web-prod",
        "web-staging | web-prod, web-prod    | web-prod",
        "web-prod    | web-staging           | web-staging",
      })
  void aPromotionShipsToTheNamedAppsOrElseToTheNextStage(
      String source, String requested, String expected) {
    assertEquals(apps(expected), PromotionTargets.resolve(SHOP, source, apps(requested)));
  }

  @ParameterizedTest(name = "{0} -> [{1}] refused: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "api         | ''             | source.app | api is not an app of pipeline shop",
        "web-prod    | ''       | targets | no app in the stage after production; name the targets",
        "web-staging | web-staging    | targets | web-staging is not another app of pipeline shop",
        "web-staging | web-prod,other | targets | other is not another app of pipeline shop",
      })
  void aPromotionWithoutValidTargetsIsRefusedNamingTheField(
      String source, String requested, String field, String message) {
    PromotionRefusedException refused =
        assertThrows(
            PromotionRefusedException.class,
            () -> PromotionTargets.resolve(SHOP, source, apps(requested)));

    assertEquals(422, refused.status());
    assertEquals(field, refused.field());
    assertEquals(field + ": " + message, refused.getMessage());
  }

  private static List<String> apps(String list) {
    return list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::strip).toList();
  }
}
