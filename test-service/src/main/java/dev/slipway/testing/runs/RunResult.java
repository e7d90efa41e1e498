package dev.slipway.testing.runs;

import dev.slipway.testing.results.TestCaseResult;
import dev.slipway.testing.results.TestOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How a run ended: its terminal phase, the message explaining it, and every node's result. */
public record RunResult(TestRunPhase phase, String message, List<NodeResult> nodes) {

  public RunResult {
    if (!phase.isTerminal()) {
      throw new IllegalArgumentException("a run result needs a terminal phase: " + phase);
    }
    nodes = List.copyOf(nodes);
  }

  /** A run that ended before any node reported (bad bundle, unsupported add-on, restart). */
  public static RunResult ended(TestRunPhase phase, String message) {
    return new RunResult(phase, message, List.of());
  }

  /**
   * The verdict over every node, Heroku CI's way: a cancelled or timed-out node decides first, then
   * an errored one (the run never got a verdict), then any failed node fails the run.
   */
  public static RunResult of(List<NodeResult> nodes, boolean cancelled, Duration timeout) {
    if (cancelled || nodes.stream().anyMatch(n -> n.status() == NodeStatus.CANCELLED)) {
      return new RunResult(TestRunPhase.CANCELLED, "cancelled", nodes);
    }
    if (nodes.stream().anyMatch(n -> n.status() == NodeStatus.TIMED_OUT)) {
      return new RunResult(
          TestRunPhase.ERRORED, "test run exceeded its " + describe(timeout) + " timeout", nodes);
    }
    Optional<NodeResult> errored =
        nodes.stream().filter(n -> n.status() == NodeStatus.ERRORED).findFirst();
    if (errored.isPresent()) {
      return new RunResult(
          TestRunPhase.ERRORED,
          errored.get().message() + " on node " + errored.get().index(),
          nodes);
    }
    List<NodeResult> failedNodes =
        nodes.stream().filter(n -> n.status() == NodeStatus.FAILED).toList();
    if (failedNodes.isEmpty()) {
      return new RunResult(TestRunPhase.SUCCEEDED, null, nodes);
    }
    return new RunResult(TestRunPhase.FAILED, failureMessage(nodes, failedNodes.get(0)), nodes);
  }

  /** "2 of 7 test cases failed on node 1: suite > name: message", or the node's own message. */
  private static String failureMessage(List<NodeResult> nodes, NodeResult firstFailed) {
    long total = nodes.stream().mapToLong(n -> n.cases().size()).sum();
    long failed =
        nodes.stream()
            .flatMap(n -> n.cases().stream())
            .filter(c -> c.outcome() == TestOutcome.FAILED)
            .count();
    Optional<TestCaseResult> firstCase =
        nodes.stream()
            .filter(n -> n.status() == NodeStatus.FAILED)
            .flatMap(n -> n.cases().stream())
            .filter(c -> c.outcome() == TestOutcome.FAILED)
            .findFirst();
    if (failed == 0 || firstCase.isEmpty()) {
      return firstFailed.message() + " on node " + firstFailed.index();
    }
    int node =
        nodes.stream()
            .filter(n -> n.cases().contains(firstCase.get()))
            .findFirst()
            .map(NodeResult::index)
            .orElse(firstFailed.index());
    TestCaseResult c = firstCase.get();
    String name =
        c.suite().isEmpty() ? c.name() : c.suite() + TestCaseResult.SUITE_SEPARATOR + c.name();
    String message =
        c.message() == null || c.message().isBlank() ? "" : ": " + firstLine(c.message());
    return failed + " of " + total + " test cases failed on node " + node + ": " + name + message;
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "\u2026" : line;
  }

  private static String describe(Duration timeout) {
    return timeout.toMinutes() > 0 ? timeout.toMinutes() + " min" : timeout.toSeconds() + " s";
  }
}
