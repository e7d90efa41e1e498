package dev.slipway.testkit.leader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.local.LocalInfrastructure;
import dev.slipway.platform.persistence.AdvisoryLockLeadership;
import dev.slipway.testkit.SlipwayInfrastructure;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election in local mode on the real PostgreSQL: two replicas contend for one job's session
 * advisory lock, one leads, and when it stops the other leads.
 */
class AdvisoryLockLeadershipTest {

  private static final Duration RETRY = Duration.ofMillis(100);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final List<AdvisoryLockLeadership> contenders = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() {
    contenders.forEach(AdvisoryLockLeadership::close);
  }

  @Test
  void oneOfTwoReplicasLeadsAndTheOtherTakesOverWhenItStops() {
    String lock = "slipway-test-service-" + UUID.randomUUID();
    AdvisoryLockLeadership a = contender("a", lock);
    AdvisoryLockLeadership b = contender("b", lock);

    await().atMost(PATIENCE).until(() -> a.leading() || b.leading());
    AdvisoryLockLeadership leader = a.leading() ? a : b;
    AdvisoryLockLeadership follower = leader == a ? b : a;
    // Several tries of the follower later, it still follows: the lock is held, not passed around.
    await().pollDelay(RETRY.multipliedBy(5)).atMost(PATIENCE).until(() -> true);
    assertTrue(leader.leading());
    assertFalse(follower.leading());
    assertEquals(List.of("lead " + name(leader)), events);

    leader.close();

    await().atMost(PATIENCE).until(follower::leading);
    assertFalse(leader.leading());
    assertEquals(
        List.of("lead " + name(leader), "loss " + name(leader), "lead " + name(follower)), events);
  }

  @Test
  void replicasContendingForDifferentJobsBothLead() {
    AdvisoryLockLeadership a = contender("a", "slipway-test-service-" + UUID.randomUUID());
    AdvisoryLockLeadership b = contender("b", "slipway-test-service-" + UUID.randomUUID());

    await().atMost(PATIENCE).until(() -> a.leading() && b.leading());
  }

  private AdvisoryLockLeadership contender(String name, String lock) {
    LocalInfrastructure infra = SlipwayInfrastructure.get();
    AdvisoryLockLeadership leadership =
        new AdvisoryLockLeadership(
            name,
            lock,
            () -> DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password()),
            RETRY);
    contenders.add(leadership);
    leadership.start(() -> events.add("lead " + name), () -> events.add("loss " + name));
    return leadership;
  }

  private static String name(AdvisoryLockLeadership leadership) {
    return leadership.job();
  }
}
