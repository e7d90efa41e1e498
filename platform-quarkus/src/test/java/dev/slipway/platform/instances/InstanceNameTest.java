package dev.slipway.platform.instances;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An instance's name is unique among running replicas and usable as a Kafka group.instance.id. */
class InstanceNameTest {

  /** configured, HOSTNAME, host name, pid → name. */
  private static final Object[][] TABLE = {
    {"up", null, "laptop", 4242L, "up"},
    {" build-a ", null, "laptop", 4242L, "build-a"},
    {null, "build-service-7d9f6b5c4-x2kqz", "ignored", 1L, "build-service-7d9f6b5c4-x2kqz-1"},
    {null, null, "Laptop.Local", 4242L, "laptop.local-4242"},
    {null, "", "ci host#3", 77L, "ci-host-3-77"},
    {"", null, "", 9L, "instance-9"},
    {null, null, null, 9L, "instance-9"},
  };

  @Test
  void nameIsTheConfiguredOneElseTheHostAndProcess() {
    for (Object[] row : TABLE) {
      Map<String, String> env = row[1] == null ? Map.of() : Map.of("HOSTNAME", (String) row[1]);
      assertEquals(
          row[4],
          InstanceName.derive(
              Optional.ofNullable((String) row[0]), env, (String) row[2], (long) row[3]),
          () -> java.util.Arrays.toString(row));
    }
  }

  @Test
  void twoReplicasOnOneMachineGetDifferentNames() {
    assertNotEquals(
        InstanceName.derive(Optional.empty(), Map.of(), "laptop", 100),
        InstanceName.derive(Optional.empty(), Map.of(), "laptop", 101));
  }

  @Test
  void twoPodsOfOneDeploymentGetDifferentNamesAndARestartedContainerKeepsItsName() {
    String first =
        InstanceName.derive(Optional.empty(), Map.of("HOSTNAME", "test-5f-abcde"), "", 1);
    String second =
        InstanceName.derive(Optional.empty(), Map.of("HOSTNAME", "test-5f-fghij"), "", 1);
    String restarted =
        InstanceName.derive(Optional.empty(), Map.of("HOSTNAME", "test-5f-abcde"), "", 1);

    assertNotEquals(first, second);
    assertEquals(first, restarted);
  }

  @Test
  void derivedNamesAreValidKafkaMemberIdsEvenFromALongHostName() {
    String name = InstanceName.derive(Optional.empty(), Map.of("HOSTNAME", "h".repeat(300)), "", 1);

    assertTrue(name.matches("[a-z0-9._-]{1,120}"), name);
  }

  @Test
  void configuredNameKafkaCouldNotUseIsRefusedNamingTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InstanceName.derive(Optional.of("build a"), Map.of(), "laptop", 1));

    assertTrue(e.getMessage().startsWith("slipway.instance.name:"), e.getMessage());
  }
}
