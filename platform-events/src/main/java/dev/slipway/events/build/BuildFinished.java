package dev.slipway.events.build;

import static dev.slipway.events.PayloadChecks.digest;
import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.sha;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A build ended: when it succeeded, {@code artifactDigest} names the immutable artifact every later
 * release of this commit reuses; when it failed, {@code error} says why (without secrets). {@code
 * queuedAt} is when the push (or manual request) queued the build: the order of a branch's commits
 * as the forge delivered them, which auto-deploy follows. {@code reusedFrom} names the earlier
 * build of the same commit whose artifact (and test verdict) this one reuses instead of building
 * again.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildFinished(
    String pipelineId,
    String buildId,
    String commitSha,
    String branch,
    Integer prNumber,
    @JsonProperty(required = true) boolean fork,
    BuildStatus status,
    String artifactDigest,
    String sourceBundleDigest,
    String error,
    Instant finishedAt,
    String sourceBundleUri,
    Artifact artifact,
    Instant queuedAt,
    String reusedFrom)
    implements EventPayload {

  /** A finished build that was built, not reused. */
  public BuildFinished(
      String pipelineId,
      String buildId,
      String commitSha,
      String branch,
      Integer prNumber,
      boolean fork,
      BuildStatus status,
      String artifactDigest,
      String sourceBundleDigest,
      String error,
      Instant finishedAt,
      String sourceBundleUri,
      Artifact artifact,
      Instant queuedAt) {
    this(
        pipelineId,
        buildId,
        commitSha,
        branch,
        prNumber,
        fork,
        status,
        artifactDigest,
        sourceBundleDigest,
        error,
        finishedAt,
        sourceBundleUri,
        artifact,
        queuedAt,
        null);
  }

  /** A finished build without its queue time (events written before {@code queued_at} existed). */
  public BuildFinished(
      String pipelineId,
      String buildId,
      String commitSha,
      String branch,
      Integer prNumber,
      boolean fork,
      BuildStatus status,
      String artifactDigest,
      String sourceBundleDigest,
      String error,
      Instant finishedAt,
      String sourceBundleUri,
      Artifact artifact) {
    this(
        pipelineId,
        buildId,
        commitSha,
        branch,
        prNumber,
        fork,
        status,
        artifactDigest,
        sourceBundleDigest,
        error,
        finishedAt,
        sourceBundleUri,
        artifact,
        null,
        null);
  }

  /** A finished build without artifact details (failed, errored or cancelled builds). */
  public BuildFinished(
      String pipelineId,
      String buildId,
      String commitSha,
      String branch,
      Integer prNumber,
      boolean fork,
      BuildStatus status,
      String artifactDigest,
      String sourceBundleDigest,
      String error,
      Instant finishedAt) {
    this(
        pipelineId,
        buildId,
        commitSha,
        branch,
        prNumber,
        fork,
        status,
        artifactDigest,
        sourceBundleDigest,
        error,
        finishedAt,
        null,
        null);
  }

  /**
   * What the build produced: a slug ({@code uri}, {@code size}) with the process types its Procfile
   * or buildpack declared, the stack and the buildpacks that ran.
   */
  @JsonNaming(SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Artifact(
      String uri,
      @JsonProperty(required = true) long size,
      Map<String, String> processTypes,
      String stack,
      List<String> buildpacks,
      String appJson) {

    /** An artifact without the app's app.json. */
    public Artifact(
        String uri,
        long size,
        Map<String, String> processTypes,
        String stack,
        List<String> buildpacks) {
      this(uri, size, processTypes, stack, buildpacks, null);
    }

    public Artifact {
      text(uri, "artifact.uri");
      processTypes = processTypes == null ? Map.of() : Map.copyOf(processTypes);
      buildpacks = buildpacks == null ? List.of() : List.copyOf(buildpacks);
    }
  }

  public BuildFinished {
    text(pipelineId, "pipelineId");
    text(buildId, "buildId");
    sha(commitSha, "commitSha");
    text(branch, "branch");
    positive(prNumber, "prNumber", true);
    present(status, "status");
    digest(artifactDigest, "artifactDigest", true);
    digest(sourceBundleDigest, "sourceBundleDigest", true);
    present(finishedAt, "finishedAt");
  }

  @Override
  public String subjectId() {
    return buildId;
  }
}
