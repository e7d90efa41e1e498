package dev.slipway.promotion.history.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.promotion.history.BuildRecord;
import dev.slipway.promotion.history.PipelineOverview;
import dev.slipway.promotion.history.PushRecord;
import dev.slipway.promotion.history.ReleaseRecord;
import dev.slipway.promotion.history.ReviewAppRecord;
import dev.slipway.promotion.history.TestRunRecord;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /pipelines/{id}/overview}: the pipeline at a glance (see docs/api.md). */
@JsonNaming(SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OverviewResponse(
    PipelineRef pipeline,
    List<Stage> stages,
    List<ReviewApp> reviewApps,
    List<Build> buildsInFlight,
    Preview promotionPreview) {

  /** Which pipeline this is. */
  @JsonNaming(SnakeCaseStrategy.class)
  public record PipelineRef(UUID id, String name, String branch) {}

  /** One stage and its apps. */
  @JsonNaming(SnakeCaseStrategy.class)
  public record Stage(String stage, List<App> apps) {}

  /** An app, what runs on it, and the test run of that commit. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record App(String appName, Release currentRelease, TestRun testRun) {}

  /** The release running on an app; {@code description} and {@code cause} say by whom or what. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Release(
      String id,
      int version,
      String commitSha,
      String artifactDigest,
      Instant deployedAt,
      String description,
      String cause) {}

  /** The latest test run of a commit. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record TestRun(
      String id,
      Integer number,
      String commitSha,
      String status,
      String message,
      Instant updatedAt) {}

  /** A review app that is not deleted. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReviewApp(
      String environmentId,
      String appName,
      Integer prNumber,
      String status,
      String url,
      Instant updatedAt) {}

  /** A build that has not finished. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Build(
      String id,
      String commitSha,
      String branch,
      Integer prNumber,
      Boolean fork,
      String status,
      Instant queuedAt,
      Instant startedAt) {}

  /** What promoting the source app to the target app would ship. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Preview(
      String sourceApp,
      String sourceCommitSha,
      String targetApp,
      String targetCommitSha,
      List<Commit> commits) {}

  /** A pushed commit. */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Commit(String sha, String beforeSha, Instant pushedAt) {}

  static OverviewResponse of(PipelineOverview o) {
    return new OverviewResponse(
        new PipelineRef(o.pipeline().id(), o.pipeline().name(), o.pipeline().branch()),
        o.stages().stream()
            .map(
                s ->
                    new Stage(
                        s.stage(),
                        s.apps().stream()
                            .map(
                                a ->
                                    new App(
                                        a.appName(),
                                        release(a.release(), a.commitSha()),
                                        testRun(a.testRun())))
                            .toList()))
            .toList(),
        o.reviewApps().stream().map(OverviewResponse::reviewApp).toList(),
        o.buildsInFlight().stream().map(OverviewResponse::build).toList(),
        o.promotionPreview() == null
            ? null
            : new Preview(
                o.promotionPreview().sourceApp(),
                o.promotionPreview().sourceCommitSha(),
                o.promotionPreview().targetApp(),
                o.promotionPreview().targetCommitSha(),
                o.promotionPreview().commits().stream().map(OverviewResponse::commit).toList()));
  }

  private static Release release(ReleaseRecord r, String commitSha) {
    return r == null
        ? null
        : new Release(
            r.releaseId(),
            r.version(),
            commitSha,
            r.artifactDigest(),
            r.finishedAt(),
            r.description(),
            r.cause());
  }

  private static TestRun testRun(TestRunRecord t) {
    return t == null
        ? null
        : new TestRun(
            t.testRunId(), t.number(), t.commitSha(), t.status(), t.message(), t.updatedAt());
  }

  private static ReviewApp reviewApp(ReviewAppRecord a) {
    return new ReviewApp(
        a.environmentId(), a.appName(), a.prNumber(), a.status(), a.url(), a.updatedAt());
  }

  private static Build build(BuildRecord b) {
    return new Build(
        b.buildId(),
        b.commitSha(),
        b.branch(),
        b.prNumber(),
        b.fork(),
        b.status(),
        b.queuedAt(),
        b.startedAt());
  }

  private static Commit commit(PushRecord p) {
    return new Commit(p.afterSha(), p.beforeSha(), p.pushedAt());
  }
}
