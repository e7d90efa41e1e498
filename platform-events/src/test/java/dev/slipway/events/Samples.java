package dev.slipway.events;

import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.build.BuildStarted;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.build.BuiltArtifact;
import dev.slipway.events.change.ChangePushed;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.environment.EnvironmentChange;
import dev.slipway.events.environment.EnvironmentKind;
import dev.slipway.events.environment.EnvironmentStatus;
import dev.slipway.events.pipeline.Forge;
import dev.slipway.events.pipeline.PipelineDeleted;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.pipeline.Stage;
import dev.slipway.events.promotion.PromotionCompleted;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.promotion.PromotionStatus;
import dev.slipway.events.promotion.PromotionTargetFinished;
import dev.slipway.events.promotion.PromotionTargetStatus;
import dev.slipway.events.release.ReleaseCreated;
import dev.slipway.events.release.ReleaseFinished;
import dev.slipway.events.release.ReleaseStatus;
import dev.slipway.events.release.ServiceDeployed;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunQueued;
import dev.slipway.events.testrun.TestRunStarted;
import dev.slipway.events.testrun.TestRunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic payloads, one per event type, as the services would produce them for "shop". */
final class Samples {

  static final String PIPELINE = "5b0f6a52-8d51-4d8e-9a7c-2f1e0c3b9d41";
  static final String REPO = "https://github.com/acme/shop";
  static final String SHA = "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4";
  static final String PARENT_SHA = "c9f0f895fb98ab9159f51fd0297e236d5e6f7a8b";
  static final String BUILD = "0d8e5a3c-2b1f-4e7a-9c6d-5f4e3d2c1b0a";
  static final String ARTIFACT =
      "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
  static final String BUNDLE =
      "sha256:fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";
  static final String SOURCE = "urn:slipway:test";
  static final String SUITE = "http://localhost:8082/pipelines/" + PIPELINE + "/test-runs";
  static final Instant AT = Instant.parse("2026-03-14T09:26:53.589Z");
  static final SecretBox SECRETS = SecretBox.fromBase64Key(SecretBox.generateKey());
  static final String SEALED_WEBHOOK_SECRET =
      SECRETS.seal("a-webhook-secret", PIPELINE, PipelineSnapshot.Sealed.WEBHOOK_SECRET);
  static final String SEALED_TEST_CONFIG =
      SECRETS.seal("{\"CI_FLAG\":\"1\"}", PIPELINE, PipelineSnapshot.Sealed.TEST_CONFIG_VARS);

  private Samples() {}

  static EventPayload of(EventType type) {
    return switch (type) {
      case PIPELINE_CREATED, PIPELINE_UPDATED -> pipeline();
      case PIPELINE_DELETED -> new PipelineDeleted(PIPELINE, "shop");
      case CHANGE_PUSHED ->
          new ChangePushed(
              PIPELINE,
              REPO,
              "refs/heads/main",
              "main",
              PARENT_SHA,
              SHA,
              "octocat",
              "72d3162e-cc78-11e3-81ab-4c9367dc0958",
              false);
      case CHANGE_CREATED, CHANGE_UPDATED, CHANGE_ABANDONED -> pullRequest(false);
      case CHANGE_MERGED -> pullRequest(true);
      case BUILD_QUEUED -> new BuildQueued(PIPELINE, BUILD, SHA, "feature/cart", 42, false, AT);
      case BUILD_STARTED -> new BuildStarted(PIPELINE, BUILD, SHA, "main", null, false, AT);
      case BUILD_FINISHED ->
          new BuildFinished(
              PIPELINE,
              BUILD,
              SHA,
              "main",
              null,
              false,
              BuildStatus.SUCCEEDED,
              ARTIFACT,
              BUNDLE,
              null,
              AT,
              "file:///var/lib/slipway/artifacts/sha256/ab/bundle",
              new BuildFinished.Artifact(
                  "file:///var/lib/slipway/artifacts/sha256/cd/slug",
                  48_213_004L,
                  Map.of("web", "java -jar target/shop.jar"),
                  "heroku-24",
                  List.of("maven"),
                  "{\"name\": \"shop\", \"scripts\": {\"postdeploy\": \"bin/seed\"}}"));
      case ARTIFACT_PACKAGED, ARTIFACT_PUBLISHED ->
          new BuiltArtifact(
              PIPELINE,
              BUILD,
              SHA,
              REPO,
              ARTIFACT,
              "file:///var/lib/slipway/artifacts/sha256/cd/slug",
              48_213_004L);
      case TESTSUITERUN_QUEUED ->
          new TestRunQueued(
              PIPELINE,
              "tr-118",
              118,
              BUILD,
              SHA,
              "main",
              TestRunStatus.PENDING,
              null,
              ARTIFACT,
              SUITE);
      case TESTSUITERUN_STARTED ->
          new TestRunStarted(
              PIPELINE,
              "tr-118",
              118,
              BUILD,
              SHA,
              "main",
              TestRunStatus.RUNNING,
              null,
              ARTIFACT,
              SUITE);
      case TESTSUITERUN_FINISHED ->
          new TestRunFinished(
              PIPELINE,
              "tr-118",
              118,
              BUILD,
              SHA,
              "main",
              TestRunStatus.FAILED,
              "2 of 311 tests failed on node 1",
              ARTIFACT,
              new TestRunFinished.Counts(305, 2, 4),
              SUITE);
      case RELEASE_CREATED ->
          new ReleaseCreated(
              PIPELINE,
              "shop-staging",
              "rel-31",
              31,
              ARTIFACT,
              ReleaseStatus.PENDING,
              "Deploy 8f14e45",
              "build");
      case RELEASE_FINISHED ->
          new ReleaseFinished(
              PIPELINE,
              "shop-staging",
              "rel-31",
              31,
              ARTIFACT,
              ReleaseStatus.SUCCEEDED,
              "Deploy 8f14e45",
              "build");
      case SERVICE_DEPLOYED, SERVICE_UPGRADED, SERVICE_ROLLEDBACK ->
          new ServiceDeployed(
              PIPELINE,
              "shop-staging",
              "env-shop-staging",
              31,
              ARTIFACT,
              "http://shop-staging.localhost:5000");
      case ENVIRONMENT_CREATED, ENVIRONMENT_MODIFIED, ENVIRONMENT_DELETED ->
          new EnvironmentChange(
              PIPELINE,
              "shop-pr-42",
              "shop-pr-42",
              EnvironmentKind.REVIEW,
              42,
              "https://shop-pr-42.apps.example.com",
              EnvironmentStatus.CREATED);
      case PROMOTION_REQUESTED ->
          new PromotionRequested(
              PIPELINE, "promo-7", "shop-staging", "rel-31", ARTIFACT, List.of("shop", "shop-eu"));
      case PROMOTION_TARGET_FINISHED ->
          new PromotionTargetFinished(
              PIPELINE, "promo-7", "shop", PromotionTargetStatus.SUCCEEDED, "rel-12", null);
      case PROMOTION_COMPLETED ->
          new PromotionCompleted(
              PIPELINE,
              "promo-7",
              PromotionStatus.COMPLETED,
              List.of(
                  new PromotionCompleted.Target("shop", PromotionTargetStatus.SUCCEEDED, null),
                  new PromotionCompleted.Target(
                      "shop-eu", PromotionTargetStatus.FAILED, "release phase exited with 1")));
    };
  }

  static PipelineSnapshot pipeline() {
    return new PipelineSnapshot(
        PIPELINE,
        "shop",
        REPO,
        Forge.GITHUB,
        "main",
        List.of(
            new PipelineSnapshot.Coupling(Stage.STAGING, "shop-staging"),
            new PipelineSnapshot.Coupling(Stage.PRODUCTION, "shop"),
            new PipelineSnapshot.Coupling(Stage.PRODUCTION, "shop-eu")),
        new PipelineSnapshot.AutoDeploy(true, "main", true),
        new PipelineSnapshot.ReviewApps(true, true, 5),
        AT,
        new PipelineSnapshot.Sealed(SEALED_WEBHOOK_SECRET, null, SEALED_TEST_CONFIG, null));
  }

  private static PullRequestChange pullRequest(boolean merged) {
    return new PullRequestChange(
        PIPELINE,
        REPO,
        42,
        "Add a cart",
        REPO + "/pull/42",
        "feature/cart",
        SHA,
        "main",
        "octocat",
        false,
        merged);
  }

  /** The same event carrying other data, as a tampering or buggy producer would send it. */
  static CloudEvent withData(CloudEvent event, byte[] data) {
    return new CloudEvent(
        event.id(),
        event.source(),
        event.type(),
        event.subject(),
        event.time(),
        event.dataContentType(),
        data,
        event.extensions());
  }

  /** The event as a producer would publish it, with a fixed id and time. */
  static CloudEvent event(EventType type) {
    return EventCodec.encode(type, SOURCE, of(type), "evt-" + type.ordinal(), AT);
  }
}
