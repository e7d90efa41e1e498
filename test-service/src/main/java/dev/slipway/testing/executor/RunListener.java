package dev.slipway.testing.executor;

import dev.slipway.testing.runs.TestRunPhase;
import java.util.Set;

/** What an executor tells the run's owner while it works. */
public interface RunListener {

  /** The app asked for {@code count} parallel nodes; called once, before any node starts. */
  void nodesPlanned(int count);

  /** The run reached {@code phase} ({@code building} or {@code running}) on some node. */
  void phase(TestRunPhase phase);

  /**
   * Opens node {@code index}'s output; values in {@code secrets} (e.g. a generated DATABASE_URL)
   * never reach it.
   */
  NodeOutput output(int index, Set<String> secrets);
}
