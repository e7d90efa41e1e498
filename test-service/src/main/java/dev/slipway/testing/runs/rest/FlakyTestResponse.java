package dev.slipway.testing.runs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.testing.runs.FlakyTest;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A flaky test case as the API shows it. */
@Schema(name = "FlakyTest")
public record FlakyTestResponse(
    @JsonProperty("commit_sha") String commitSha,
    String suite,
    String name,
    @JsonProperty("failed_run_id") UUID failedRunId,
    @JsonProperty("passed_run_id") UUID passedRunId,
    @JsonProperty("detected_at") Instant detectedAt) {

  static FlakyTestResponse of(FlakyTest f) {
    return new FlakyTestResponse(
        f.commitSha(), f.suite(), f.name(), f.failedRunId(), f.passedRunId(), f.detectedAt());
  }
}
