package dev.slipway.platform.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The edge's validation rules, as tables of accepted and refused values. */
class InputRulesTest {

  @ParameterizedTest(name = "name {0} -> {1}")
  @CsvSource({
    "shop, ok",
    "shop-staging, ok",
    "a, ok",
    "a1-b2, ok",
    "abc-, trailing dash",
    "-abc, must start with a letter",
    "1abc, must start with a letter",
    "Shop, upper case",
    "shop_staging, underscore",
    "shop.staging, dot",
    "kube-system, reserved",
    "kube-public, reserved",
    "default, reserved",
    "slipway, reserved",
    "slipway-system, reserved",
    "shop-pr-5, review-app form",
    "x-pr-12345, review-app form",
    "shop-pr-x, ok",
    "shop-pr, ok",
    "pr-5, ok",
  })
  void names(String name, String expected) {
    assertVerdict(InputRules.name(name), expected);
  }

  @Test
  void namesAreAtMost63Characters() {
    assertTrue(InputRules.name("a".repeat(63)).isEmpty());
    assertTrue(InputRules.name("a".repeat(64)).isPresent());
    assertTrue(InputRules.name("").isPresent());
    assertTrue(InputRules.name(null).isPresent());
  }

  @ParameterizedTest(name = "branch {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "main | ok",
        "feature/login-form | ok",
        "release-1.2 | ok",
        "v1.0.0 | ok",
        "a.b/c_d | ok",
        "deps/@types | ok",
        ".hidden | leading dot",
        "feature/.hidden | leading dot in a part",
        "a..b | two dots",
        "a/ | trailing slash",
        "/a | leading slash",
        "a//b | double slash",
        "a. | trailing dot",
        "a.lock | .lock",
        "a.lock/b | .lock part",
        "-rf | leading dash",
        "@ | at",
        "a@{1} | at-brace",
        "'a b' | space",
        "a~1 | tilde",
        "a^ | caret",
        "a:b | colon",
        "a? | question",
        "a* | star",
        "a[ | bracket",
        "a\\b | backslash",
      })
  void branches(String branch, String expected) {
    assertVerdict(InputRules.branch(branch), expected);
  }

  @Test
  void branchesRefuseControlCharactersAndExcessLength() {
    assertTrue(InputRules.branch("a\u0000b").isPresent());
    assertTrue(InputRules.branch("a\nb").isPresent());
    assertTrue(InputRules.branch("a\u007fb").isPresent());
    assertTrue(InputRules.branch("b".repeat(255)).isEmpty());
    assertTrue(InputRules.branch("b".repeat(256)).isPresent());
    assertTrue(InputRules.branch("").isPresent());
  }

  @ParameterizedTest(name = "config key {0} -> {1}")
  @CsvSource({
    "DATABASE_URL, ok",
    "_private, ok",
    "lower_case, ok",
    "1ABC, digit first",
    "A-B, dash",
    "A B, space",
    "'', empty",
  })
  void configKeys(String key, String expected) {
    assertVerdict(InputRules.configKey(key), expected);
  }

  @Test
  void configValuesRefuseNulAndValuesAboveTheCap() {
    assertTrue(InputRules.configValue("postgres://db/x").isEmpty());
    assertTrue(InputRules.configValue("").isEmpty());
    assertTrue(InputRules.configValue(null).isEmpty(), "null unsets");
    assertTrue(InputRules.configValue("a\u0000b").orElseThrow().contains("NUL"));
    assertTrue(InputRules.configValue("x".repeat(InputRules.MAX_CONFIG_VALUE_BYTES)).isEmpty());
    assertTrue(
        InputRules.configValue("x".repeat(InputRules.MAX_CONFIG_VALUE_BYTES + 1)).isPresent());
    // The cap is in bytes: a two-byte character counts twice.
    assertTrue(
        InputRules.configValue("é".repeat(InputRules.MAX_CONFIG_VALUE_BYTES / 2 + 1)).isPresent());
    assertTrue(InputRules.configValue("x".repeat(2 * 1024 * 1024)).isPresent());
  }

  @Test
  void configTotalIsCappedPerApp() {
    Map<String, String> config = new LinkedHashMap<>();
    for (int i = 0; i < 7; i++) {
      config.put("V" + i, "x".repeat(InputRules.MAX_CONFIG_VALUE_BYTES));
    }
    assertTrue(InputRules.configTotal(config).isEmpty());
    config.put("V7", "x".repeat(InputRules.MAX_CONFIG_VALUE_BYTES));
    assertTrue(InputRules.configTotal(config).isPresent());
  }

  @ParameterizedTest(name = "process type {0} -> {1}")
  @CsvSource({
    "web, ok",
    "worker_2, ok",
    "release-phase, ok",
    "Web, ok",
    "'we b', space",
    "web:, colon",
    "'', empty",
    "$(id), shell",
  })
  void processTypes(String type, String expected) {
    assertVerdict(InputRules.processType(type), expected);
  }

  @Test
  void processTypesAreAtMost63Characters() {
    assertTrue(InputRules.processType("w".repeat(63)).isEmpty());
    assertTrue(InputRules.processType("w".repeat(64)).isPresent());
  }

  @Test
  void tokenNamesCompareWithoutCaseOrSurroundingSpace() {
    assertEquals(
        InputRules.tokenNameKey(" Bootstrap-Admin "), InputRules.tokenNameKey("bootstrap-admin"));
  }

  private static void assertVerdict(Optional<String> problem, String expected) {
    if (expected.equals("ok")) {
      assertTrue(problem.isEmpty(), () -> "refused: " + problem.orElse(""));
    } else {
      assertTrue(problem.isPresent(), "accepted, but expected refusal: " + expected);
    }
  }
}
