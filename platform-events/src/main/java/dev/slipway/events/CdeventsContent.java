package dev.slipway.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuiltArtifact;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.environment.EnvironmentChange;
import dev.slipway.events.release.ServiceDeployed;
import dev.slipway.events.testrun.TestRunEvent;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunStatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Derives the official CDEvents v0.5.1 {@code subject.content} of an event from its payload: only
 * the fields the specification defines for the type, since its schemas allow no others. Slipway's
 * own data travels in {@code customData}; custom ({@code dev.cdeventsx.*}) types get an empty
 * content.
 */
public final class CdeventsContent {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private CdeventsContent() {}

  /** The {@code subject.content} object of an event of {@code type} carrying {@code payload}. */
  public static ObjectNode of(EventType type, EventPayload payload) {
    ObjectNode content = JSON.objectNode();
    switch (type) {
      case CHANGE_CREATED -> {
        PullRequestChange change = (PullRequestChange) payload;
        if (change.title() != null && !change.title().isBlank()) {
          content.put("description", change.title());
        }
        content.set("repository", repository(change.repositoryUrl()));
      }
      case CHANGE_UPDATED, CHANGE_MERGED, CHANGE_ABANDONED ->
          content.set("repository", repository(((PullRequestChange) payload).repositoryUrl()));
      case BUILD_FINISHED -> {
        BuildFinished build = (BuildFinished) payload;
        if (build.artifactDigest() != null) {
          content.put("artifactId", artifactId(build.pipelineId(), build.artifactDigest()));
        }
      }
      case ARTIFACT_PACKAGED -> {
        BuiltArtifact artifact = (BuiltArtifact) payload;
        ObjectNode change = content.putObject("change").put("id", artifact.commitSha());
        if (isAbsoluteUri(artifact.repositoryUrl())) {
          change.put("source", artifact.repositoryUrl());
        }
      }
      case TESTSUITERUN_QUEUED, TESTSUITERUN_STARTED, TESTSUITERUN_FINISHED -> {
        TestRunEvent run = (TestRunEvent) payload;
        content.putObject("environment").put("id", testEnvironmentId(run.pipelineId()));
        ObjectNode suite =
            content.putObject("testSuite").put("id", run.pipelineId()).put("name", "app.json test");
        if (isAbsoluteUri(run.testSuiteUri())) {
          suite.put("uri", run.testSuiteUri());
        }
        if (payload instanceof TestRunFinished finished) {
          content.put("outcome", outcome(finished.status()));
          if (finished.message() != null && !finished.message().isBlank()) {
            content.put("reason", finished.message());
          }
        }
      }
      case SERVICE_DEPLOYED, SERVICE_UPGRADED, SERVICE_ROLLEDBACK -> {
        ServiceDeployed service = (ServiceDeployed) payload;
        content.putObject("environment").put("id", service.environmentId());
        content.put("artifactId", artifactId(service.pipelineId(), service.artifactDigest()));
      }
      case ENVIRONMENT_CREATED, ENVIRONMENT_MODIFIED, ENVIRONMENT_DELETED -> {
        EnvironmentChange environment = (EnvironmentChange) payload;
        content.put("name", environment.appName());
        if (type != EventType.ENVIRONMENT_DELETED && isAbsoluteUri(environment.url())) {
          content.put("uri", environment.url());
        }
      }
      default -> {
        // Build queued/started and artifact published need no content fields; custom types
        // carry everything in customData.
      }
    }
    return content;
  }

  /**
   * The package URL of a pipeline's artifact: {@code pkg:oci/<pipeline>@sha256%3A<hex>}, the same
   * for the build that made it and every release that runs it, so consumers can follow it.
   */
  public static String artifactId(String pipelineId, String digest) {
    return "pkg:oci/"
        + pipelineId.toLowerCase(Locale.ROOT)
        + "@"
        + PayloadChecks.digest(digest, "artifactDigest", false).replace(":", "%3A");
  }

  /** The CDEvents environment a pipeline's test runs execute in: its CI environment. */
  public static String testEnvironmentId(String pipelineId) {
    return pipelineId + "/ci";
  }

  /** The CDEvents test outcome of a finished run's terminal status. */
  public static String outcome(TestRunStatus status) {
    return switch (status) {
      case SUCCEEDED -> "success";
      case FAILED -> "failure";
      case CANCELLED -> "cancel";
      // A run that finished without a verdict (platform failure) is an error, never a success.
      default -> "error";
    };
  }

  private static ObjectNode repository(String repositoryUrl) {
    ObjectNode repository = JSON.objectNode();
    String path = repositoryUrl;
    try {
      URI uri = new URI(repositoryUrl);
      if (uri.getPath() != null && uri.getPath().length() > 1) {
        path = uri.getPath().substring(1).replaceFirst("\\.git$", "");
      }
    } catch (URISyntaxException e) {
      // Not a URL (a local path in the embedded mode): the whole value names the repository.
    }
    repository.put("id", path);
    if (isAbsoluteUri(repositoryUrl)) {
      repository.put("source", repositoryUrl);
    }
    return repository;
  }

  private static boolean isAbsoluteUri(String value) {
    if (value == null || value.isBlank()) {
      return false;
    }
    try {
      return new URI(value).isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
