package dev.slipway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.events.build.BuildFinished;
import dev.slipway.events.build.BuildStatus;
import dev.slipway.events.testrun.TestRunFinished;
import dev.slipway.events.testrun.TestRunStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every event Slipway emits is a CDEvents v0.5.1 event a third-party consumer accepts: it validates
 * against the official schema of its type (vendored in the test resources, unchanged).
 */
class CdeventsConformanceTest {

  @ParameterizedTest
  @EnumSource(EventType.class)
  void aSampleOfEveryTypeValidatesAgainstItsOfficialSchema(EventType type) {
    CloudEvent event = Samples.event(type);

    OutputUnit result = SchemaValidation.validateOfficial(type, data(event));

    assertTrue(result.getValid(), () -> type + " rejected by the spec: " + result.toJson());
    SchemaValidation.assertValid(event);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void officialTypesAreTheOnesOfRelease051AndCustomTypesFollowTheCustomEventForm(EventType type) {
    JsonObject schema =
        SchemaValidation.load(SchemaValidation.CDEVENTS + type.cdeventsSchemaFile());
    JsonObject typeSchema =
        schema
            .getJsonObject("properties")
            .getJsonObject("context")
            .getJsonObject("properties")
            .getJsonObject("type");

    if (type.isCustom()) {
      assertTrue(type.type().matches(typeSchema.getString("pattern")), type.type());
      assertTrue(type.type().startsWith("dev.cdeventsx.slipway-"), type.type());
    } else {
      assertEquals(type.type(), typeSchema.getJsonArray("enum").getString(0));
    }
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void theContextNamesSpecVersion051AndSlipwaysDataIsJsonCustomData(EventType type) {
    JsonObject data = data(Samples.event(type));

    assertEquals("0.5.1", data.getJsonObject("context").getString("specversion"));
    assertFalse(data.getJsonObject("context").containsKey("version"));
    assertEquals("application/json", data.getString("customDataContentType"));
    assertEquals(Samples.PIPELINE, data.getJsonObject("customData").getString("pipeline_id"));
  }

  @ParameterizedTest
  @EnumSource(
      value = EventType.class,
      names = {
        "BUILD_FINISHED",
        "SERVICE_DEPLOYED",
        "TESTSUITERUN_FINISHED",
        "CHANGE_MERGED",
        "ARTIFACT_PACKAGED",
        "ARTIFACT_PUBLISHED"
      })
  void slipwayFieldsInSubjectContentAreRejectedByTheSpec(EventType type) {
    JsonObject data = data(Samples.event(type));
    data.getJsonObject("subject").getJsonObject("content").put("pipeline_id", Samples.PIPELINE);

    assertFalse(SchemaValidation.validateOfficial(type, data).getValid());
  }

  @Test
  void theOldShapeWithContextVersionIsRejectedByTheSpec() {
    JsonObject data = data(Samples.event(EventType.BUILD_STARTED));
    JsonObject context = data.getJsonObject("context");
    context.put("version", context.remove("specversion"));

    assertFalse(SchemaValidation.validateOfficial(EventType.BUILD_STARTED, data).getValid());
  }

  @Test
  void aDeployedServiceNamesItsEnvironmentAndItsArtifactAsAPackageUrl() {
    JsonObject content = content(Samples.event(EventType.SERVICE_DEPLOYED));

    assertEquals("env-shop-staging", content.getJsonObject("environment").getString("id"));
    assertEquals(
        "pkg:oci/" + Samples.PIPELINE + "@" + Samples.ARTIFACT.replace(":", "%3A"),
        content.getString("artifactId"));
  }

  @Test
  void theBuiltArtifactAndTheDeployedOneHaveTheSamePackageUrl() {
    assertEquals(
        content(Samples.event(EventType.BUILD_FINISHED)).getString("artifactId"),
        content(Samples.event(EventType.SERVICE_DEPLOYED)).getString("artifactId"));
  }

  @ParameterizedTest
  @EnumSource(
      value = EventType.class,
      names = {"ARTIFACT_PACKAGED", "ARTIFACT_PUBLISHED"})
  void aPackagedOrPublishedArtifactIsTheBuildsPackageUrl(EventType type) {
    JsonObject subject = data(Samples.event(type)).getJsonObject("subject");

    assertEquals(
        content(Samples.event(EventType.BUILD_FINISHED)).getString("artifactId"),
        subject.getString("id"));
    assertEquals(subject.getString("id"), Samples.event(type).subject());
  }

  @Test
  void aPackagedArtifactNamesTheCommitItWasBuiltFrom() {
    JsonObject change = content(Samples.event(EventType.ARTIFACT_PACKAGED)).getJsonObject("change");

    assertEquals(Samples.SHA, change.getString("id"));
    assertEquals(Samples.REPO, change.getString("source"));
  }

  @Test
  void aPackagedArtifactWithoutItsCommitIsRejectedByTheSpec() {
    JsonObject data = data(Samples.event(EventType.ARTIFACT_PACKAGED));
    data.getJsonObject("subject").getJsonObject("content").remove("change");

    assertFalse(SchemaValidation.validateOfficial(EventType.ARTIFACT_PACKAGED, data).getValid());
  }

  @Test
  void aFailedBuildHasNoArtifactAndStillValidates() {
    BuildFinished sample = (BuildFinished) Samples.of(EventType.BUILD_FINISHED);
    BuildFinished failed =
        new BuildFinished(
            sample.pipelineId(),
            sample.buildId(),
            sample.commitSha(),
            sample.branch(),
            null,
            false,
            BuildStatus.FAILED,
            null,
            sample.sourceBundleDigest(),
            "no buildpack detected the app",
            sample.finishedAt(),
            sample.sourceBundleUri(),
            null,
            sample.queuedAt(),
            null);
    CloudEvent event = EventCodec.encode(EventType.BUILD_FINISHED, Samples.SOURCE, failed);

    assertFalse(content(event).containsKey("artifactId"));
    SchemaValidation.assertValid(event);
  }

  @ParameterizedTest
  @CsvSource({
    "SUCCEEDED, success",
    "FAILED, failure",
    "CANCELLED, cancel",
    "ERRORED, error",
    "RUNNING, error"
  })
  void aFinishedTestRunHasTheCdeventsOutcomeOfItsStatus(TestRunStatus status, String outcome) {
    TestRunFinished sample = (TestRunFinished) Samples.of(EventType.TESTSUITERUN_FINISHED);
    TestRunFinished run =
        new TestRunFinished(
            sample.pipelineId(),
            sample.testRunId(),
            sample.number(),
            sample.buildId(),
            sample.commitSha(),
            sample.branch(),
            status,
            sample.message(),
            sample.artifactDigest(),
            sample.counts());
    CloudEvent event = EventCodec.encode(EventType.TESTSUITERUN_FINISHED, Samples.SOURCE, run);
    JsonObject content = content(event);

    assertEquals(outcome, content.getString("outcome"));
    assertEquals(Samples.PIPELINE + "/ci", content.getJsonObject("environment").getString("id"));
    assertEquals(Samples.PIPELINE, content.getJsonObject("testSuite").getString("id"));
    SchemaValidation.assertValid(event);
  }

  @ParameterizedTest
  @EnumSource(
      value = EventType.class,
      names = {"TESTSUITERUN_QUEUED", "TESTSUITERUN_STARTED", "TESTSUITERUN_FINISHED"})
  void aTestRunNamesItsSuitesUriInSlipwaysApi(EventType type) {
    JsonObject suite = content(Samples.event(type)).getJsonObject("testSuite");

    assertEquals(Samples.SUITE, suite.getString("uri"));
  }

  @Test
  void aTestRunWithoutASuiteUriLeavesItOutAndStillValidates() {
    TestRunFinished sample = (TestRunFinished) Samples.of(EventType.TESTSUITERUN_FINISHED);
    TestRunFinished older =
        new TestRunFinished(
            sample.pipelineId(),
            sample.testRunId(),
            sample.number(),
            sample.buildId(),
            sample.commitSha(),
            sample.branch(),
            sample.status(),
            sample.message(),
            sample.artifactDigest(),
            sample.counts());
    CloudEvent event = EventCodec.encode(EventType.TESTSUITERUN_FINISHED, Samples.SOURCE, older);

    assertFalse(content(event).getJsonObject("testSuite").containsKey("uri"));
    SchemaValidation.assertValid(event);
  }

  @Test
  void aChangeNamesItsRepository() {
    JsonObject repository =
        content(Samples.event(EventType.CHANGE_CREATED)).getJsonObject("repository");

    assertEquals("acme/shop", repository.getString("id"));
    assertEquals(Samples.REPO, repository.getString("source"));
  }

  @Test
  void eventSourcesAreAbsoluteUris() {
    assertEquals("urn:slipway:build-service", EventCodec.sourceOf("build-service"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            EventCodec.encode(
                EventType.PIPELINE_DELETED,
                "/slipway/build-service",
                Samples.of(EventType.PIPELINE_DELETED)));
  }

  @Test
  void theValidatorRejectsARelativeSource() {
    CloudEvent relative =
        withSource(Samples.event(EventType.PIPELINE_DELETED), "/slipway/promotion-service");

    assertThrows(AssertionError.class, () -> SchemaValidation.assertValid(relative));
  }

  @Test
  void aCustomEventWithoutSubjectContentIsRejectedByTheSpec() {
    JsonObject data = data(Samples.event(EventType.PROMOTION_COMPLETED));
    data.getJsonObject("subject").remove("content");

    assertFalse(SchemaValidation.validateOfficial(EventType.PROMOTION_COMPLETED, data).getValid());
  }

  private static CloudEvent withSource(CloudEvent event, String source) {
    return new CloudEvent(
        event.id(),
        source,
        event.type(),
        event.subject(),
        event.time(),
        event.dataContentType(),
        event.data(),
        event.extensions());
  }

  private static JsonObject data(CloudEvent event) {
    return new JsonObject(new String(event.data(), StandardCharsets.UTF_8));
  }

  private static JsonObject content(CloudEvent event) {
    return data(event).getJsonObject("subject").getJsonObject("content");
  }
}
