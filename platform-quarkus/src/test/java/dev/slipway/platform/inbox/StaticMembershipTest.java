package dev.slipway.platform.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {

  private static Map<String, Object> consumer() {
    Map<String, Object> config = new HashMap<>();
    config.put("group.id", "deploy-service");
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    return config;
  }

  @Test
  void eachChannelOfAnInstanceGetsItsOwnStableMemberId() {
    Map<String, Object> builds =
        StaticMembership.apply(
            Optional.of("up"), Optional.of(Duration.ofSeconds(10)), "builds", consumer());
    Map<String, Object> runs =
        StaticMembership.apply(Optional.of("up"), Optional.empty(), "testruns", consumer());

    assertEquals("up.builds", builds.get("group.instance.id"));
    assertEquals(10_000, builds.get("session.timeout.ms"));
    assertEquals("up.testruns", runs.get("group.instance.id"));
    assertNull(runs.get("session.timeout.ms"));
  }

  @Test
  void withoutAnInstanceIdConsumersStayDynamicMembers() {
    assertEquals(
        consumer(), StaticMembership.apply(Optional.empty(), Optional.empty(), "b", consumer()));
    assertEquals(
        consumer(), StaticMembership.apply(Optional.of(" "), Optional.empty(), "b", consumer()));
  }

  /** configured instance id, static-membership, instance name → member name (empty: dynamic). */
  private static final Object[][] MEMBER_NAMES = {
    {"up", false, "laptop-4242", "up"},
    {"up", true, "laptop-4242", "up"},
    {null, true, "build-service-7d9f6b5c4-x2kqz-1", "build-service-7d9f6b5c4-x2kqz-1"},
    {" ", true, "build-a", "build-a"},
    {null, false, "build-a", null},
  };

  @Test
  void memberNameIsTheConfiguredIdElseThisReplicasInstanceNameWhenStaticMembershipIsOn() {
    for (Object[] row : MEMBER_NAMES) {
      assertEquals(
          Optional.ofNullable((String) row[3]),
          StaticMembership.memberName(
              Optional.ofNullable((String) row[0]), (boolean) row[1], (String) row[2]),
          () -> java.util.Arrays.toString(row));
    }
  }

  @Test
  void twoReplicasWithStaticMembershipJoinAsDifferentMembers() {
    Optional<String> a = StaticMembership.memberName(Optional.empty(), true, "build-x-1");
    Optional<String> b = StaticMembership.memberName(Optional.empty(), true, "build-y-1");

    assertNotEquals(
        StaticMembership.apply(a, Optional.empty(), "pipelines", consumer())
            .get("group.instance.id"),
        StaticMembership.apply(b, Optional.empty(), "pipelines", consumer())
            .get("group.instance.id"));
  }

  @Test
  void producersAreLeftAlone() {
    Map<String, Object> producer = new HashMap<>();
    producer.put("group.id", "deploy-service");
    producer.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    Map<String, Object> expected = new HashMap<>(producer);
    assertEquals(
        expected,
        StaticMembership.apply(
            Optional.of("up"), Optional.of(Duration.ofSeconds(10)), "b", producer));
  }
}
