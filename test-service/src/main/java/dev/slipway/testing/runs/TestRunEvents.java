package dev.slipway.testing.runs;

import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunQueued;
import dev.slipway.events.testrun.TestRunStarted;
import dev.slipway.events.testrun.TestRunStatus;

/** Maps runs to the testsuiterun events announcing them: queued, started, finished. */
final class TestRunEvents {

  private TestRunEvents() {}

  /** A new run waits for a worker. */
  static TestRunQueued queued(TestRun r) {
    return announce(TestRunQueued::new, r, TestRunPhase.PENDING);
  }

  /** A worker claimed the run. */
  static TestRunStarted started(TestRun r) {
    return announce(TestRunStarted::new, r, TestRunPhase.CREATING);
  }

  /** The shape queued and started share: the run, in {@code phase}, with no message. */
  private interface Announcement<T> {
    T of(
        String pipelineId,
        String testRunId,
        int number,
        String buildId,
        String commitSha,
        String branch,
        TestRunStatus status,
        String message,
        String artifactDigest);
  }

  private static <T> T announce(Announcement<T> event, TestRun r, TestRunPhase phase) {
    return event.of(
        r.pipelineId().toString(),
        r.id().toString(),
        r.number(),
        r.buildId(),
        r.commitSha(),
        r.branch(),
        phase.eventStatus(),
        null,
        r.artifactDigest());
  }

  /** The run ended, with its verdict, message and counts (zero when it ended before any test). */
  static TestRunFinished finished(TestRun r) {
    TestRun.Counts counts = r.counts() == null ? new TestRun.Counts(0, 0, 0) : r.counts();
    return new TestRunFinished(
        r.pipelineId().toString(),
        r.id().toString(),
        r.number(),
        r.buildId(),
        r.commitSha(),
        r.branch(),
        r.phase().eventStatus(),
        r.message(),
        r.artifactDigest(),
        new TestRunFinished.Counts(counts.passed(), counts.failed(), counts.skipped()));
  }
}
