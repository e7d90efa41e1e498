package dev.slipway.testing.runs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.testing.runs.TestNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One node of a test run as the API shows it. */
@Schema(name = "TestNode")
public record TestNodeResponse(
    @Schema(description = "0-based, as CI_NODE_INDEX") int index,
    @Schema(enumeration = {"running", "passed", "failed", "errored", "timed_out", "cancelled"})
        String status,
    @JsonProperty("exit_code") Integer exitCode,
    @JsonProperty("duration_ms") Long durationMs,
    String message) {

  static TestNodeResponse of(TestNode n) {
    return new TestNodeResponse(n.index(), n.status(), n.exitCode(), n.durationMs(), n.message());
  }
}
