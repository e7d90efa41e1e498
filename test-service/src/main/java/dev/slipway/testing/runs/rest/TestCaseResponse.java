package dev.slipway.testing.runs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.testing.runs.TestCase;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One test case of a run as the API shows it. */
@Schema(name = "TestCase")
public record TestCaseResponse(
    @Schema(description = "the node that reported it") int node,
    @Schema(description = "JUnit class or TAP parent tests; empty for a top-level TAP test")
        String suite,
    String name,
    @Schema(enumeration = {"passed", "failed", "skipped"}) String outcome,
    @JsonProperty("duration_ms") Long durationMs,
    String message) {

  static TestCaseResponse of(TestCase c) {
    return new TestCaseResponse(
        c.nodeIndex(),
        c.suite(),
        c.name(),
        c.outcome().name().toLowerCase(Locale.ROOT),
        c.durationMs(),
        c.message());
  }
}
