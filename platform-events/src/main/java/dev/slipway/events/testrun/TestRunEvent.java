package dev.slipway.events.testrun;

import dev.slipway.events.EventPayload;

/** What every test-run event says about its run: the three types carry the same fields. */
public interface TestRunEvent extends EventPayload {

  String testRunId();

  int number();

  String buildId();

  String commitSha();

  String branch();

  TestRunStatus status();

  String message();

  /**
   * Where the pipeline's test suite is seen in Slipway's API ({@code <public URL>/pipelines/<id>/
   * test-runs}); null from producers that did not say.
   */
  String testSuiteUri();
}
