package dev.slipway.build.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.platform.validation.InputRules;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;

/**
 * The branch rule every service applies agrees with JGit's: a branch Slipway accepts is one JGit
 * can fetch, and the names JGit refuses are refused at the edge rather than deep inside a build.
 */
class BranchRuleTest {

  private static final List<String> NAMES =
      List.of(
          "main",
          "feature/x",
          "release-1.2",
          "v1.0.0",
          "deps/@types",
          ".hidden",
          "a/.b",
          "a..b",
          "a/",
          "/a",
          "a//b",
          "a.",
          "a.lock",
          "a.lock/b",
          "a@{1}",
          "a b",
          "a~1",
          "a^",
          "a:b",
          "a?",
          "a*",
          "a[",
          "a\\b",
          "a\u0001b",
          "a\u007fb",
          "@",
          "x/y/z",
          "UPPER",
          "under_score");

  /** git check-ref-format refuses these; JGit lets them through. */
  private static final List<String> STRICTER_THAN_JGIT = List.of("@", "a.lock/b");

  @Test
  void everyBranchSlipwayAcceptsIsARefNameJGitAccepts() {
    List<String> disagreements = new ArrayList<>();
    for (String name : NAMES) {
      boolean ours = InputRules.branch(name).isEmpty();
      boolean jgit = Repository.isValidRefName("refs/heads/" + name);
      if (ours && !jgit || jgit && !ours && !STRICTER_THAN_JGIT.contains(name)) {
        disagreements.add(name + " (Slipway " + ours + ", JGit " + jgit + ")");
      }
    }
    assertEquals(List.of(), disagreements);
  }
}
