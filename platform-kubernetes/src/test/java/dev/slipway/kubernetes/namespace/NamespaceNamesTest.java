package dev.slipway.kubernetes.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespace names stay valid DNS-1123 labels and distinct for any pipeline name. */
class NamespaceNamesTest {

  @Test
  void plainPipelineNameIsUsedAsIs() {
    assertEquals("shop-pr-42", NamespaceNames.forReviewApp("shop", 42));
    assertEquals("shop-ci-7", NamespaceNames.forTestRun("shop", 7));
    assertEquals("shop", NamespaceNames.pipelineLabel("shop"));
  }

  @Test
  void oddNamesBecomeValidLabelsWithAHashOfTheOriginal() {
    String name = NamespaceNames.forReviewApp("My.Shop__Front", 3);
    assertTrue(name.matches("my-shop-front-[0-9a-f]{6}-pr-3"), name);
    assertTrue(NamespaceNames.isValid(name), name);
  }

  @Test
  void namesThatOnlyDifferWhereTheSlugCannotTellStayDistinct() {
    List<String> names =
        List.of("my.app", "my-app", "My-App", "my_app", "Ünïcødé", "ünicode", "日本", "中国");
    List<String> namespaces = names.stream().map(n -> NamespaceNames.forTestRun(n, 1)).toList();
    assertEquals(names.size(), namespaces.stream().distinct().count(), namespaces.toString());
    namespaces.forEach(n -> assertTrue(NamespaceNames.isValid(n), n));
    assertEquals("my-app-ci-1", NamespaceNames.forTestRun("my-app", 1));
  }

  @Test
  void aNameWithNoUsableCharacterStillGetsAName() {
    String name = NamespaceNames.forReviewApp("日本語", 1);
    assertTrue(name.matches("pipeline-[0-9a-f]{6}-pr-1"), name);
  }

  @Test
  void longPipelineNamesAreCutToSixtyThreeCharactersAndStayDistinct() {
    String a = "a".repeat(80);
    String b = "a".repeat(79) + "b";
    String first = NamespaceNames.forTestRun(a, Integer.MAX_VALUE);
    String second = NamespaceNames.forTestRun(b, Integer.MAX_VALUE);
    assertEquals(63, first.length(), first);
    assertTrue(first.endsWith("-ci-" + Integer.MAX_VALUE), first);
    assertTrue(NamespaceNames.isValid(first) && NamespaceNames.isValid(second));
    assertNotEquals(first, second);
    assertEquals(first, NamespaceNames.forTestRun(a, Integer.MAX_VALUE), "stable");
    assertTrue(NamespaceNames.pipelineLabel(a).length() <= 63);
  }

  @Test
  void cutNeverLeavesADashBeforeTheHash() {
    String name = NamespaceNames.forReviewApp("x".repeat(47) + "-----tail-of-the-name", 12);
    assertTrue(NamespaceNames.isValid(name), name);
    assertTrue(!name.contains("--"), name);
  }

  @Test
  void negativeNumbersAndBlankPipelinesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> NamespaceNames.forReviewApp("shop", -1));
    assertThrows(IllegalArgumentException.class, () -> NamespaceNames.forTestRun(" ", 1));
  }
}
