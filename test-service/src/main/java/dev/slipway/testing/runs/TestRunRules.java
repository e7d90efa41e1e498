package dev.slipway.testing.runs;

import dev.slipway.testing.results.TestCaseResult;

/**
 * The pure rules of a run's end: its counts, the fate of nodes that never reported, the stored
 * message, and what a reused verdict says (phase transitions are {@link TestRunPhase#canBecome}).
 */
public final class TestRunRules {

  /** The longest message stored (and announced) for a run; longer ones end in an ellipsis. */
  static final int MAX_MESSAGE = 1000;

  private TestRunRules() {}

  /** Test cases by outcome across every node of {@code result}. */
  public static TestRun.Counts counts(RunResult result) {
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    for (NodeResult n : result.nodes()) {
      for (TestCaseResult c : n.cases()) {
        switch (c.outcome()) {
          case PASSED -> passed++;
          case FAILED -> failed++;
          case SKIPPED -> skipped++;
        }
      }
    }
    return new TestRun.Counts(passed, failed, skipped);
  }

  /** Nodes that never reported share the run's fate: cancelled with it, errored otherwise. */
  public static NodeStatus unreportedNode(TestRunPhase ending) {
    return ending == TestRunPhase.CANCELLED ? NodeStatus.CANCELLED : NodeStatus.ERRORED;
  }

  /** The message as stored: at most {@value #MAX_MESSAGE} characters, cut with an ellipsis. */
  public static String storedMessage(String message) {
    if (message == null || message.length() <= MAX_MESSAGE) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE - 1) + "\u2026";
  }

  /** Why a build's run was not run again but took run {@code earlierNumber}'s verdict. */
  public static String reusedVerdict(String commitSha, int earlierNumber) {
    return "not run again: commit "
        + commitSha.substring(0, Math.min(7, commitSha.length()))
        + " with this artifact was tested by run #"
        + earlierNumber
        + ", whose verdict this run reuses";
  }
}
