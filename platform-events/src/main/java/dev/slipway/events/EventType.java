package dev.slipway.events;

import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.build.BuildStarted;
import dev.slipway.events.build.BuiltArtifact;
import dev.slipway.events.change.ChangePushed;
import dev.slipway.events.change.PullRequestChange;
import dev.slipway.events.environment.EnvironmentChange;
import dev.slipway.events.pipeline.PipelineDeleted;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.events.promotion.PromotionCompleted;
import dev.slipway.events.promotion.PromotionRequested;
import dev.slipway.events.promotion.PromotionTargetFinished;
import dev.slipway.events.release.ReleaseCreated;
import dev.slipway.events.release.ReleaseFinished;
import dev.slipway.events.release.ServiceDeployed;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunQueued;
import dev.slipway.events.testrun.TestRunStarted;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event Slipway produces: its CloudEvents type, topic, payload record and JSON Schema.
 *
 * <p>Types are CDEvents v0.5.1's where CDEvents has one, CDEvents custom events {@code
 * dev.cdeventsx.slipway-<subject>.<predicate>.<version>} otherwise (ADR 0014). A constant's name is
 * its type's subject and predicate, upper-cased.
 */
public enum EventType {
  // TODO(#19): pipelinerun.* for a push's journey and incident.detected|resolved for a crashed
  // release are not emitted yet.
  PIPELINE_CREATED(
      "dev.cdeventsx.slipway-pipeline.created.0.1.0", Topic.PIPELINES, PipelineSnapshot.class),
  PIPELINE_UPDATED(
      "dev.cdeventsx.slipway-pipeline.updated.0.1.0", Topic.PIPELINES, PipelineSnapshot.class),
  PIPELINE_DELETED(
      "dev.cdeventsx.slipway-pipeline.deleted.0.1.0", Topic.PIPELINES, PipelineDeleted.class),

  CHANGE_PUSHED("dev.cdeventsx.slipway-change.pushed.0.1.0", Topic.CHANGES, ChangePushed.class),
  CHANGE_CREATED("dev.cdevents.change.created.0.4.0", Topic.CHANGES, PullRequestChange.class),
  CHANGE_UPDATED("dev.cdevents.change.updated.0.3.0", Topic.CHANGES, PullRequestChange.class),
  CHANGE_MERGED("dev.cdevents.change.merged.0.3.0", Topic.CHANGES, PullRequestChange.class),
  CHANGE_ABANDONED("dev.cdevents.change.abandoned.0.3.0", Topic.CHANGES, PullRequestChange.class),

  BUILD_QUEUED("dev.cdevents.build.queued.0.3.0", Topic.BUILDS, BuildQueued.class),
  BUILD_STARTED("dev.cdevents.build.started.0.3.0", Topic.BUILDS, BuildStarted.class),
  BUILD_FINISHED("dev.cdevents.build.finished.0.3.0", Topic.BUILDS, BuildFinished.class),
  ARTIFACT_PACKAGED("dev.cdevents.artifact.packaged.0.3.0", Topic.BUILDS, BuiltArtifact.class),
  ARTIFACT_PUBLISHED("dev.cdevents.artifact.published.0.3.0", Topic.BUILDS, BuiltArtifact.class),

  TESTSUITERUN_QUEUED(
      "dev.cdevents.testsuiterun.queued.0.3.0", Topic.TEST_RUNS, TestRunQueued.class),
  TESTSUITERUN_STARTED(
      "dev.cdevents.testsuiterun.started.0.3.0", Topic.TEST_RUNS, TestRunStarted.class),
  TESTSUITERUN_FINISHED(
      "dev.cdevents.testsuiterun.finished.0.3.0", Topic.TEST_RUNS, TestRunFinished.class),

  RELEASE_CREATED(
      "dev.cdeventsx.slipway-release.created.0.1.0", Topic.RELEASES, ReleaseCreated.class),
  RELEASE_FINISHED(
      "dev.cdeventsx.slipway-release.finished.0.1.0", Topic.RELEASES, ReleaseFinished.class),
  SERVICE_DEPLOYED("dev.cdevents.service.deployed.0.3.0", Topic.RELEASES, ServiceDeployed.class),
  SERVICE_UPGRADED("dev.cdevents.service.upgraded.0.3.0", Topic.RELEASES, ServiceDeployed.class),
  SERVICE_ROLLEDBACK(
      "dev.cdevents.service.rolledback.0.3.0", Topic.RELEASES, ServiceDeployed.class),

  ENVIRONMENT_CREATED(
      "dev.cdevents.environment.created.0.3.0", Topic.ENVIRONMENTS, EnvironmentChange.class),
  ENVIRONMENT_MODIFIED(
      "dev.cdevents.environment.modified.0.3.0", Topic.ENVIRONMENTS, EnvironmentChange.class),
  ENVIRONMENT_DELETED(
      "dev.cdevents.environment.deleted.0.3.0", Topic.ENVIRONMENTS, EnvironmentChange.class),

  PROMOTION_REQUESTED(
      "dev.cdeventsx.slipway-promotion.requested.0.1.0",
      Topic.PROMOTIONS,
      PromotionRequested.class),
  PROMOTION_TARGET_FINISHED(
      "dev.cdeventsx.slipway-promotiontarget.finished.0.1.0",
      Topic.PROMOTIONS,
      PromotionTargetFinished.class),
  PROMOTION_COMPLETED(
      "dev.cdeventsx.slipway-promotion.completed.0.1.0",
      Topic.PROMOTIONS,
      PromotionCompleted.class);

  private static final Map<String, EventType> BY_TYPE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(t -> t.type, Function.identity()));

  private final String type;
  private final Topic topic;
  private final Class<? extends EventPayload> payloadType;

  EventType(String type, Topic topic, Class<? extends EventPayload> payloadType) {
    this.type = type;
    this.topic = topic;
    this.payloadType = payloadType;
  }

  /** The CloudEvents {@code type} attribute. */
  public String type() {
    return type;
  }

  public Topic topic() {
    return topic;
  }

  /**
   * Whether this is a CDEvents custom event ({@code dev.cdeventsx.slipway-*}), not an official
   * type.
   */
  public boolean isCustom() {
    return type.startsWith("dev.cdeventsx.");
  }

  /**
   * The file name of the official CDEvents v0.5.1 schema this type's data validates against: {@code
   * buildfinished.json} for {@code dev.cdevents.build.finished.0.3.0}, {@code custom-event.json}
   * for the custom types.
   */
  public String cdeventsSchemaFile() {
    if (isCustom()) {
      return "custom-event.json";
    }
    String[] parts = type.split("\\.");
    return parts[2] + parts[3] + ".json";
  }

  /** The record the data's {@code subject.content} decodes to. */
  public Class<? extends EventPayload> payloadType() {
    return payloadType;
  }

  /** Classpath location of the JSON Schema the whole data document must satisfy. */
  public String schemaResource() {
    return "/schemas/" + type + ".json";
  }

  /** The event type with this CloudEvents {@code type}, empty for types Slipway does not know. */
  public static Optional<EventType> fromType(String type) {
    return Optional.ofNullable(type).map(BY_TYPE::get);
  }

  /** The event types published on a topic, which is what a consumer of that topic must handle. */
  public static List<EventType> onTopic(Topic topic) {
    return Arrays.stream(values()).filter(t -> t.topic == topic).toList();
  }
}
