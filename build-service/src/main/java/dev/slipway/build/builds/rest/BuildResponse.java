package dev.slipway.build.builds.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.build.builds.Build;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A build as the API shows it. */
@Schema(name = "Build")
public record BuildResponse(
    UUID id,
    @JsonProperty("pipeline_id") UUID pipelineId,
    @Schema(example = "https://github.com/acme/shop.git") @JsonProperty("repository_url")
        String repositoryUrl,
    @Schema(example = "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4") @JsonProperty("commit_sha")
        String commitSha,
    @Schema(example = "main") String branch,
    @JsonProperty("pr_number") Integer prNumber,
    boolean fork,
    @Schema(
            example = "push",
            enumeration = {"push", "pull_request", "manual"})
        String trigger,
    @JsonProperty("requested_by") String requestedBy,
    @Schema(
            example = "succeeded",
            enumeration = {"queued", "running", "succeeded", "failed", "errored", "cancelled"})
        String status,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("started_at") Instant startedAt,
    @JsonProperty("finished_at") Instant finishedAt,
    String error,
    @JsonProperty("source_bundle") Blob sourceBundle,
    Artifact artifact,
    @Schema(
            description =
                "the earlier build of the same commit whose artifact this build reuses (null:"
                    + " built)")
        @JsonProperty("reused_from")
        UUID reusedFrom) {

  /** A content-addressed file. */
  @Schema(name = "BuildBlob")
  public record Blob(
      @Schema(example = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
          String digest,
      String uri) {}

  /** The slug (or image) a succeeded build produced. */
  @Schema(name = "BuildArtifact")
  public record Artifact(
      String digest,
      String uri,
      Long size,
      @Schema(example = "{\"web\": \"java -jar target/app.jar\"}") @JsonProperty("process_types")
          Map<String, String> processTypes,
      String stack,
      List<String> buildpacks) {}

  static BuildResponse of(Build b) {
    return new BuildResponse(
        b.id(),
        b.pipelineId(),
        b.repositoryUrl(),
        b.commitSha(),
        b.branch(),
        b.prNumber(),
        b.fork(),
        b.trigger().name().toLowerCase(Locale.ROOT),
        b.requestedBy(),
        b.phase().wireName(),
        b.createdAt(),
        b.startedAt(),
        b.finishedAt(),
        b.error(),
        b.sourceBundleDigest() == null
            ? null
            : new Blob(b.sourceBundleDigest(), b.sourceBundleUri()),
        b.artifactDigest() == null
            ? null
            : new Artifact(
                b.artifactDigest(),
                b.artifactUri(),
                b.artifactSize(),
                b.processTypes(),
                b.stack(),
                b.buildpacks()),
        b.reusedFrom());
  }
}
