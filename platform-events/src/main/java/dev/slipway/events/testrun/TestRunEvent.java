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
}
