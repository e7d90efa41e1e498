package dev.slipway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic names, consumer groups and event types are the fixed vocabulary services share. */
class TopicsAndTypesTest {

  @Test
  void topicsHaveTheDocumentedNamesAndOnlyPipelinesIsCompacted() {
    assertEquals(
        List.of(
            "slipway.pipelines",
            "slipway.changes",
            "slipway.builds",
            "slipway.testruns",
            "slipway.releases",
            "slipway.environments",
            "slipway.promotions"),
        Arrays.stream(Topic.values()).map(Topic::topicName).toList());
    assertEquals(
        List.of(Topic.PIPELINES), Arrays.stream(Topic.values()).filter(Topic::compacted).toList());
    assertEquals(Optional.of(Topic.TEST_RUNS), Topic.fromTopicName("slipway.testruns"));
    assertEquals(Optional.empty(), Topic.fromTopicName("slipway.dlq.build-service"));
  }

  @Test
  void everyConsumerGroupHasADeadLetterTopic() {
    assertEquals(
        List.of("build-service", "test-service", "deploy-service", "promotion-service"),
        ConsumerGroups.all());
    assertEquals(
        "slipway.dlq.deploy-service", Topic.deadLetterTopic(ConsumerGroups.DEPLOY_SERVICE));
    assertEquals("slipway.dlq.team.v2-sink", Topic.deadLetterTopic("team.v2-sink"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Build-Service", "build_service", "-x", "a b", "dlq/x", "ü"})
  void deadLetterTopicRefusesGroupsOutsideItsAlphabet(String group) {
    assertThrows(IllegalArgumentException.class, () -> Topic.deadLetterTopic(group));
  }

  @Test
  void deadLetterTopicRefusesGroupsTooLongForKafka() {
    assertThrows(IllegalArgumentException.class, () -> Topic.deadLetterTopic("a".repeat(238)));
    assertEquals(249, Topic.deadLetterTopic("a".repeat(237)).length());
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyEventTypeMapsToAnExistingSchemaResourceAndFromTypeFindsIt(EventType type)
      throws IOException {
    try (InputStream schema = EventType.class.getResourceAsStream(type.schemaResource())) {
      assertNotNull(schema, type.schemaResource());
    }
    assertEquals("/schemas/" + type.type() + ".json", type.schemaResource());
    assertEquals(Optional.of(type), EventType.fromType(type.type()));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void typesAreCdEvents051OrSlipwayCustomEventsAndConstantsFollowThem(EventType type) {
    String name = type.type();
    assertTrue(
        name.matches("dev\\.cdevents\\.[a-z]+\\.[a-z]+\\.0\\.[34]\\.0")
            || name.matches("dev\\.cdeventsx\\.slipway-[a-z]+\\.[a-z]+\\.0\\.1\\.0"),
        name);
    assertEquals(name.startsWith("dev.cdeventsx."), type.isCustom());
    String subjectAndPredicate =
        name.replaceFirst("^dev\\.(cdeventsx\\.slipway-|cdevents\\.)", "")
            .replaceFirst("\\.[0-9]+\\.[0-9]+\\.[0-9]+$", "");
    // promotiontarget: custom-event subjects are one word, the constant separates it.
    assertEquals(
        subjectAndPredicate.replace(".", "").toUpperCase(Locale.ROOT),
        type.name().replace("_", ""));
  }

  @Test
  void fromTypeIsEmptyForUnknownTypes() {
    assertEquals(Optional.empty(), EventType.fromType("dev.cdevents.build.finished.0.1.0"));
    assertEquals(Optional.empty(), EventType.fromType(null));
  }

  @Test
  void everyTopicCarriesSomeEventTypesAndTypesAreUnique() {
    for (Topic topic : Topic.values()) {
      assertFalse(EventType.onTopic(topic).isEmpty(), topic.name());
    }
    Set<String> types =
        Arrays.stream(EventType.values()).map(EventType::type).collect(Collectors.toSet());
    assertEquals(EventType.values().length, types.size());
    assertEquals(27, types.size());
    assertEquals(
        List.of(
            EventType.BUILD_QUEUED,
            EventType.BUILD_STARTED,
            EventType.BUILD_FINISHED,
            EventType.ARTIFACT_PACKAGED,
            EventType.ARTIFACT_PUBLISHED),
        EventType.onTopic(Topic.BUILDS));
  }
}
