package dev.slipway.testing.executor;

import dev.slipway.apps.process.Cancellation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One test run to execute: the build's source bundle (a local tar.gz), the variables every node
 * gets on top of app.json's test env ({@code environment}: the pipeline's test config vars and the
 * CI variables), the operator's config vars for buildpacks ({@code configVars}), the deadline and
 * the switch that cancels it, and whether it tests a fork pull request (untrusted: sandbox
 * required, no shared cache).
 */
public record TestJob(
    UUID runId,
    UUID pipelineId,
    Path sourceBundle,
    Map<String, String> environment,
    Map<String, String> configVars,
    Instant deadline,
    Cancellation cancellation,
    boolean fork) {

  public TestJob {
    environment = Map.copyOf(environment);
    configVars = Map.copyOf(configVars);
  }
}
