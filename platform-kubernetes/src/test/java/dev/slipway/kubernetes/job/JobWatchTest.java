package dev.slipway.kubernetes.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Waiting for Jobs to end, against a CRUD API server whose Jobs the test finishes by hand. */
@EnableKubernetesMockClient(crud = true)
class JobWatchTest {

  private static final String NS = "builds";
  private static final Duration POLL = Duration.ofMillis(50);

  KubernetesClient client;

  @Test
  void returnsEveryJobOnceItCompletedFailedOrWasDeleted() {
    create("done", "Complete", null);
    create("broken", "Failed", "BackoffLimitExceeded");

    Map<String, Job> ended =
        watch()
            .awaitEnd(
                List.of("done", "broken", "gone"), Instant.now().plusSeconds(20), () -> false);

    assertEquals(3, ended.size());
    assertTrue(JobStates.ended(ended.get("done")));
    assertEquals(
        "BackoffLimitExceeded",
        JobStates.condition(ended.get("broken"), JobStates.FAILED).getReason());
    assertTrue(ended.containsKey("gone"));
    assertNull(ended.get("gone"), "a Job deleted before it ended maps to null");
  }

  @Test
  void aJobStillRunningAtTheDeadlineIsLeftOutAndWasReportedAsRunning() {
    create("slow", null, null);
    AtomicBoolean told = new AtomicBoolean();

    Map<String, Job> ended =
        watch()
            .awaitEnd(
                List.of("slow"),
                Instant.now().plusMillis(300),
                new JobWatch.Listener() {
                  @Override
                  public boolean stopped() {
                    return false;
                  }

                  @Override
                  public void running(String name, Job job) {
                    told.set(true);
                  }
                });

    assertEquals(Map.of(), ended);
    assertTrue(told.get());
  }

  @Test
  void aWakeUpEndsTheWaitAtOnceWhenTheListenerSaysStop() {
    create("slow", null, null);
    JobWatch watch = new JobWatch(client, NS, Duration.ofMinutes(5), Clock.systemUTC());
    AtomicBoolean cancelled = new AtomicBoolean();
    new Thread(
            () -> {
              sleep(300);
              cancelled.set(true);
              watch.wake();
            })
        .start();
    long started = System.nanoTime();

    Map<String, Job> ended =
        watch.awaitEnd(List.of("slow"), Instant.now().plusSeconds(600), cancelled::get);

    assertEquals(Map.of(), ended);
    assertTrue(
        Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(30)) < 0,
        "waited out the five-minute poll interval instead of waking");
  }

  private JobWatch watch() {
    return new JobWatch(client, NS, POLL, Clock.systemUTC());
  }

  private void create(String name, String condition, String reason) {
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .endSpec()
            .build();
    client.batch().v1().jobs().inNamespace(NS).resource(job).create();
    if (condition != null) {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(NS)
          .withName(name)
          .editStatus(
              j ->
                  new JobBuilder(j)
                      .withNewStatus()
                      .withConditions(
                          new JobConditionBuilder()
                              .withType(condition)
                              .withStatus("True")
                              .withReason(reason)
                              .build())
                      .endStatus()
                      .build());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
