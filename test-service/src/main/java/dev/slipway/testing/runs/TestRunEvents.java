package dev.slipway.testing.runs;

import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunQueued;
import dev.slipway.events.testrun.TestRunStarted;
import dev.slipway.events.testrun.TestRunStatus;

/**
 * Maps runs to the testsuiterun events announcing them: queued, started, finished; each names the
 * pipeline's test suite by its runs in the API ({@code <public URL>/pipelines/<id>/test-runs}).
 */
final class TestRunEvents {

  private final String publicUrl;

  TestRunEvents(String publicUrl) {
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  private String suiteUri(TestRun r) {
    return publicUrl + "/pipelines/" + r.pipelineId() + "/test-runs";
  }

  /** A new run waits for a worker. */
  TestRunQueued queued(TestRun r) {
    return announce(TestRunQueued::new, r, TestRunPhase.PENDING);
  }

  /** A worker claimed the run. */
  TestRunStarted started(TestRun r) {
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
        String artifactDigest,
        String testSuiteUri);
  }

  private <T> T announce(Announcement<T> event, TestRun r, TestRunPhase phase) {
    return event.of(
        r.pipelineId().toString(),
        r.id().toString(),
        r.number(),
        r.buildId(),
        r.commitSha(),
        r.branch(),
        phase.eventStatus(),
        null,
        r.artifactDigest(),
        suiteUri(r));
  }

  /** The run ended, with its verdict, message and counts (zero when it ended before any test). */
  TestRunFinished finished(TestRun r) {
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
        new TestRunFinished.Counts(counts.passed(), counts.failed(), counts.skipped()),
        suiteUri(r));
  }
}
