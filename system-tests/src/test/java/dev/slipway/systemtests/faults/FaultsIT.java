package dev.slipway.systemtests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.systemtests.faults.FinalState.Counts;
import dev.slipway.systemtests.faults.Flow.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow on {@code slipway up} under faults: every test pushes commits to several pipelines
 * at once, breaks something at a seeded random point mid-flow, and requires the same final state as
 * the fault-free run. {@code -Dslipway.faults.seed=N} replays a run; {@code
 * -Dslipway.faults.pipelines} and {@code -Dslipway.faults.commits} size the load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsIT {

  static final long SEED = Long.getLong("slipway.faults.seed", new Random().nextLong());
  static final int PIPELINES = Integer.getInteger("slipway.faults.pipelines", 2);
  static final int COMMITS = Integer.getInteger("slipway.faults.commits", 2);
  static final Duration GAP = Duration.ofSeconds(2);

  /** How long the platform may take to settle once the load and the fault are over. */
  static final Duration QUIET =
      Duration.ofSeconds(Long.getLong("slipway.faults.quiet-seconds", 240));

  private final Random random = new Random(SEED);
  private Platform platform;
  private Flow flow;
  private FinalState finalState;

  @BeforeAll
  void startThePlatform(@TempDir Path dataDir) throws Exception {
    System.out.println(
        "[faults] seed "
            + SEED
            + " (replay: -Dslipway.faults.seed="
            + SEED
            + "), "
            + PIPELINES
            + " pipelines x "
            + COMMITS
            + " commits");
    platform = Platform.start(dataDir);
    flow = new Flow(platform);
    finalState = new FinalState(platform);
  }

  @BeforeEach
  void everyServiceIsReady() throws Exception {
    platform.awaitReady(Duration.ofMinutes(4));
  }

  @AfterAll
  void stopThePlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void withoutFaultsEveryPushIsBuiltTestedOnceAndStagingEndsOnTheNewestCommit() throws Exception {
    List<Pipeline> pipelines = flow.createPipelines("calm", PIPELINES);
    flow.push(pipelines, COMMITS, GAP);
    Counts counts = finalState.await(pipelines, QUIET);
    report("no fault", counts, null);
    assertEquals(PIPELINES * (COMMITS + 1), counts.builds(), counts::toString);
  }

  @Test
  void eachServiceKilledAtARandomPointMidFlowAndRestartedLosesNothing() throws Exception {
    List<Pipeline> pipelines = flow.createPipelines("killed", PIPELINES);
    List<String> victims = new ArrayList<>(Platform.SERVICE_NAMES);
    Collections.shuffle(victims, random);
    List<Duration> moved = new ArrayList<>();
    CompletableFuture<Void> load = pushInBackground(pipelines);
    for (String service : victims) {
      Thread.sleep(Platform.somewhereWithin(random, Duration.ofSeconds(6)).toMillis());
      System.out.println("[faults] SIGKILL " + service);
      Instant fault = Instant.now();
      platform.killAndAwaitRestart(service);
      moved.add(movingAgain(pipelines, fault, load));
    }
    load.get(10, TimeUnit.MINUTES);
    Counts counts = finalState.await(pipelines, QUIET);
    report("SIGKILL of " + victims, counts, moved);
  }

  @Test
  void kafkaStoppedAndStartedMidFlowLosesNothing() throws Exception {
    infrastructureRestartedMidFlow(
        "kafka", "Kafka", () -> platform.restartKafka(Duration.ofSeconds(5)));
  }

  @Test
  void postgresStoppedAndStartedMidFlowLosesNothing() throws Exception {
    infrastructureRestartedMidFlow(
        "postgres", "PostgreSQL", () -> platform.restartPostgres(Duration.ofSeconds(5)));
  }

  /** What a restart of infrastructure the services share does to the flow. */
  private void infrastructureRestartedMidFlow(String prefix, String what, Fault restart)
      throws Exception {
    List<Pipeline> pipelines = flow.createPipelines(prefix, PIPELINES);
    CompletableFuture<Void> load = pushInBackground(pipelines);
    Thread.sleep(Platform.somewhereWithin(random, Duration.ofSeconds(8)).toMillis());
    System.out.println("[faults] stopping " + what);
    Instant fault = Instant.now();
    restart.inject();
    Duration moved = movingAgain(pipelines, fault, load);
    load.get(10, TimeUnit.MINUTES);
    Counts counts = finalState.await(pipelines, QUIET);
    report(what + " restart", counts, List.of(moved));
  }

  /** A fault injected into the running platform. */
  @FunctionalInterface
  interface Fault {
    void inject() throws Exception;
  }

  @Test
  void everyEventDeliveredTwiceChangesNothingTwice() throws Exception {
    List<Pipeline> pipelines = flow.createPipelines("twice", PIPELINES);
    flow.push(pipelines, COMMITS, GAP);
    Counts before = finalState.await(pipelines, QUIET);
    Instant fault = Instant.now();
    long copied = Redelivery.republishEverything(platform.kafkaAdmin());
    System.out.println("[faults] delivered " + copied + " events a second time");
    assertTrue(copied > 0, "events were delivered again");
    // A push after the copies: its flow passes every consumer after the duplicates.
    flow.push(pipelines, 1, GAP);
    Duration moved = finalState.awaitFlowMoving(pipelines, fault, Instant.now(), QUIET);
    Counts after = finalState.await(pipelines, QUIET);
    report("every event twice", after, List.of(moved));
    assertEquals(before.builds() + PIPELINES, after.builds(), "one build per push, no more");
    assertEquals(before.testRuns() + PIPELINES, after.testRuns(), "one test run per build");
  }

  /**
   * Pushes one more commit to each pipeline once the fault is over and the load's pushes are
   * delivered (so that there is work left whatever the moment of the fault, and each pipeline's
   * newest commit is its last push) and answers the time from the fault until the flow moved.
   */
  private Duration movingAgain(
      List<Pipeline> pipelines, Instant fault, CompletableFuture<Void> load) throws Exception {
    Instant over = Instant.now();
    load.get(10, TimeUnit.MINUTES);
    flow.push(pipelines, 1, Duration.ZERO);
    return finalState.awaitFlowMoving(pipelines, fault, over, QUIET);
  }

  private CompletableFuture<Void> pushInBackground(List<Pipeline> pipelines) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            flow.push(pipelines, COMMITS, GAP);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static void report(String fault, Counts counts, List<Duration> moved) {
    System.out.println(
        "[faults] "
            + fault
            + " (seed "
            + SEED
            + "): pipelines "
            + counts.pipelines()
            + ", pushes "
            + counts.pushes()
            + ", builds "
            + counts.builds()
            + ", test runs "
            + counts.testRuns()
            + ", releases "
            + counts.releases()
            + ", promotions "
            + counts.promotions()
            + ", review apps "
            + counts.reviewApps()
            + ", events "
            + counts.events()
            + ", dead letters "
            + counts.deadLetters()
            + (moved == null ? "" : ", flow moving again after " + moved));
  }
}
