package dev.slipway.testing.executor;

import dev.slipway.testing.runs.NodeResult;
import dev.slipway.testing.runs.TestRunPhase;
import java.util.List;

/**
 * What an executor reports: every node's result, or, when the run could not start its nodes, the
 * terminal phase and message saying why ({@code abortPhase} null otherwise).
 */
public record TestExecution(List<NodeResult> nodes, TestRunPhase abortPhase, String abortMessage) {

  public TestExecution {
    nodes = List.copyOf(nodes);
  }

  public static TestExecution of(List<NodeResult> nodes) {
    return new TestExecution(nodes, null, null);
  }

  public static TestExecution aborted(TestRunPhase phase, String message) {
    return new TestExecution(List.of(), phase, message);
  }
}
