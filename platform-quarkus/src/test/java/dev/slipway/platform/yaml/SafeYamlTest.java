package dev.slipway.platform.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML from buildpacks and test runners is read as text, within limits, whatever it holds. */
class SafeYamlTest {

  private final SafeYaml yaml = SafeYaml.limitedTo(4096);

  @Test
  void aBuildpackReleaseDocumentGivesItsProcessTypesAsWritten() throws Exception {
    String release =
        String.join(
            "\n",
            "---",
            "addons: []",
            "config_vars:",
            "  LANG: en_US.UTF-8",
            "default_process_types:",
            "  web: java -jar target/app.jar --port $PORT",
            "  worker: 'bin/worker --queue=default'",
            "  version: 1.10",
            "  quiet: no",
            "  nested: {a: b}",
            "  empty: ~",
            "  web: ignored duplicate");

    assertEquals(
        Map.of(
            "web", "java -jar target/app.jar --port $PORT",
            "worker", "bin/worker --queue=default",
            "version", "1.10",
            "quiet", "no"),
        yaml.scalarsOf(release, "default_process_types"));
  }

  @Test
  void aMissingOrNonMappingPathGivesNoEntries() throws Exception {
    assertEquals(Map.of(), yaml.scalarsOf("--- {}", "default_process_types"));
    assertEquals(Map.of(), yaml.scalarsOf("default_process_types: {}", "default_process_types"));
    assertEquals(Map.of(), yaml.scalarsOf("default_process_types: web", "default_process_types"));
    assertEquals(Map.of(), yaml.scalarsOf("", "default_process_types"));
    assertEquals(Map.of(), yaml.scalarsOf("- a\n- b"));
  }

  @Test
  void blockAndQuotedScalarsAreUnfoldedAndUnescaped() throws Exception {
    assertEquals(
        Map.of("message", "expected \"a\"\nbut got b", "error", "it's\nbroken", "folded", "a b"),
        yaml.scalarsOf(
            String.join(
                "\n",
                "  message: \"expected \\\"a\\\"\\nbut got b\"",
                "  error: |-",
                "    it's",
                "    broken",
                "  folded: >-",
                "    a",
                "    b")));
  }

  @Test
  void tagsNeverInstantiateTypesAndAliasesAreNotExpanded() throws Exception {
    Map<String, String> read =
        yaml.scalarsOf(
            String.join(
                "\n",
                "cmd: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]",
                "web: !!java.lang.ProcessBuilder 'rm -rf /'",
                "a: &a [x, x, x, x]",
                "b: [*a, *a, *a, *a]"));

    assertEquals(Map.of("web", "rm -rf /"), read);
  }

  @Test
  void brokenYamlIsRefusedNamingItsLine() {
    SafeYaml.YamlException e =
        assertThrows(
            SafeYaml.YamlException.class,
            () ->
                yaml.scalarsOf(
                    "default_process_types:\n  web: [unclosed\n", "default_process_types"));

    assertTrue(e.getMessage().startsWith("line "), e.getMessage());
  }

  @Test
  void brokenYamlAfterTheWantedMappingIsRefusedToo() {
    assertThrows(
        SafeYaml.YamlException.class,
        () ->
            yaml.scalarsOf(
                "default_process_types:\n  web: ok\naddons: [unclosed\n", "default_process_types"));
    assertThrows(
        SafeYaml.YamlException.class,
        () -> yaml.scalarsOf("default_process_types: [web\n", "default_process_types"));
  }

  @Test
  void documentsOverTheSizeOrNestingLimitAreRefused() {
    assertThrows(SafeYaml.YamlException.class, () -> yaml.scalarsOf("a: " + "x".repeat(5000)));
    String deep =
        "[".repeat(SafeYaml.MAX_NESTING_DEPTH + 5) + "]".repeat(SafeYaml.MAX_NESTING_DEPTH + 5);
    assertThrows(
        SafeYaml.YamlException.class, () -> SafeYaml.limitedTo(100_000).scalarsOf("a: " + deep));
  }
}
