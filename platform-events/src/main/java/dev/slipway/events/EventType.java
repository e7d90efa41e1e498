package dev.slipway.events;

import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildQueued;
import dev.slipway.events.build.BuildStarted;
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
 * <p>Types are CDEvents' where CDEvents has one, {@code dev.slipway.<subject>.<predicate>.v1}
 * otherwise. A constant's name is its type's subject and predicate, upper-cased.
 */
public enum EventType {
  PIPELINE_CREATED(
      "dev.slipway.pipeline.created.v1", Topic.PIPELINES, "pipeline", PipelineSnapshot.class),
  PIPELINE_UPDATED(
      "dev.slipway.pipeline.updated.v1", Topic.PIPELINES, "pipeline", PipelineSnapshot.class),
  PIPELINE_DELETED(
      "dev.slipway.pipeline.deleted.v1", Topic.PIPELINES, "pipeline", PipelineDeleted.class),

  CHANGE_PUSHED("dev.slipway.change.pushed.v1", Topic.CHANGES, "change", ChangePushed.class),
  CHANGE_CREATED(
      "dev.cdevents.change.created.0.2.0", Topic.CHANGES, "change", PullRequestChange.class),
  CHANGE_UPDATED(
      "dev.cdevents.change.updated.0.2.0", Topic.CHANGES, "change", PullRequestChange.class),
  CHANGE_MERGED(
      "dev.cdevents.change.merged.0.2.0", Topic.CHANGES, "change", PullRequestChange.class),
  CHANGE_ABANDONED(
      "dev.cdevents.change.abandoned.0.2.0", Topic.CHANGES, "change", PullRequestChange.class),

  BUILD_QUEUED("dev.cdevents.build.queued.0.2.0", Topic.BUILDS, "build", BuildQueued.class),
  BUILD_STARTED("dev.cdevents.build.started.0.2.0", Topic.BUILDS, "build", BuildStarted.class),
  BUILD_FINISHED("dev.cdevents.build.finished.0.2.0", Topic.BUILDS, "build", BuildFinished.class),

  TESTSUITERUN_QUEUED(
      "dev.cdevents.testsuiterun.queued.0.2.0",
      Topic.TEST_RUNS,
      "testSuiteRun",
      TestRunQueued.class),
  TESTSUITERUN_STARTED(
      "dev.cdevents.testsuiterun.started.0.2.0",
      Topic.TEST_RUNS,
      "testSuiteRun",
      TestRunStarted.class),
  TESTSUITERUN_FINISHED(
      "dev.cdevents.testsuiterun.finished.0.2.0",
      Topic.TEST_RUNS,
      "testSuiteRun",
      TestRunFinished.class),

  RELEASE_CREATED(
      "dev.slipway.release.created.v1", Topic.RELEASES, "release", ReleaseCreated.class),
  RELEASE_FINISHED(
      "dev.slipway.release.finished.v1", Topic.RELEASES, "release", ReleaseFinished.class),
  SERVICE_DEPLOYED(
      "dev.cdevents.service.deployed.0.2.0", Topic.RELEASES, "service", ServiceDeployed.class),
  SERVICE_UPGRADED(
      "dev.cdevents.service.upgraded.0.2.0", Topic.RELEASES, "service", ServiceDeployed.class),
  SERVICE_ROLLEDBACK(
      "dev.cdevents.service.rolledback.0.2.0", Topic.RELEASES, "service", ServiceDeployed.class),

  ENVIRONMENT_CREATED(
      "dev.cdevents.environment.created.0.2.0",
      Topic.ENVIRONMENTS,
      "environment",
      EnvironmentChange.class),
  ENVIRONMENT_MODIFIED(
      "dev.cdevents.environment.modified.0.2.0",
      Topic.ENVIRONMENTS,
      "environment",
      EnvironmentChange.class),
  ENVIRONMENT_DELETED(
      "dev.cdevents.environment.deleted.0.2.0",
      Topic.ENVIRONMENTS,
      "environment",
      EnvironmentChange.class),

  PROMOTION_REQUESTED(
      "dev.slipway.promotion.requested.v1",
      Topic.PROMOTIONS,
      "promotion",
      PromotionRequested.class),
  PROMOTION_TARGET_FINISHED(
      "dev.slipway.promotion.target.finished.v1",
      Topic.PROMOTIONS,
      "promotion",
      PromotionTargetFinished.class),
  PROMOTION_COMPLETED(
      "dev.slipway.promotion.completed.v1",
      Topic.PROMOTIONS,
      "promotion",
      PromotionCompleted.class);

  private static final Map<String, EventType> BY_TYPE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(t -> t.type, Function.identity()));

  private final String type;
  private final Topic topic;
  private final String subjectType;
  private final Class<? extends EventPayload> payloadType;

  EventType(
      String type, Topic topic, String subjectType, Class<? extends EventPayload> payloadType) {
    this.type = type;
    this.topic = topic;
    this.subjectType = subjectType;
    this.payloadType = payloadType;
  }

  /** The CloudEvents {@code type} attribute. */
  public String type() {
    return type;
  }

  public Topic topic() {
    return topic;
  }

  /** The CDEvents {@code subject.type} written into the data document, e.g. {@code build}. */
  public String subjectType() {
    return subjectType;
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
