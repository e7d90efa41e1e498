package dev.slipway.kubernetes.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared operator loop against a CRUD API server, with ConfigMaps standing in for a CR. */
@EnableKubernetesMockClient(crud = true)
class ReconcileLoopTest {

  private static final String NS = "control";
  private static final Backoff FAST = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  KubernetesClient client;
  private final List<ReconcileLoop<ConfigMap>> loops = new ArrayList<>();

  /** What the reconciler was handed: the resource's name and its {@code v} value, and when. */
  private record Call(String name, String value, long nanos) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopLoops() {
    loops.forEach(ReconcileLoop::close);
  }

  @Test
  void aReconcileAskingToBeRequeuedRunsAgainAfterItsDelayWithoutAnyEvent() throws Exception {
    start(
        cm -> {
          record(cm);
          return calls.size() == 1 ? Optional.of(Duration.ofMillis(500)) : Optional.empty();
        });

    create("a", "1");

    awaitUntil(() -> calls.size() >= 2);
    assertTrue(
        calls.get(1).nanos() - calls.get(0).nanos() >= TimeUnit.MILLISECONDS.toNanos(500),
        "requeued before its delay: " + calls);
    Thread.sleep(1_000);
    assertEquals(2, calls.size(), "an empty answer must not requeue: " + calls);
  }

  @Test
  void aFailingReconcileIsRetriedWithADoublingBackoffUntilItSucceeds() throws Exception {
    start(
        cm -> {
          record(cm);
          if (calls.size() <= 3) {
            throw new IllegalStateException("not yet");
          }
          return Optional.empty();
        });

    create("a", "1");

    awaitUntil(() -> calls.size() >= 4);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < 4; i++) {
      gaps.add(TimeUnit.NANOSECONDS.toMillis(calls.get(i).nanos() - calls.get(i - 1).nanos()));
    }
    assertTrue(gaps.get(0) >= 200, "first retry after 200 ms: " + gaps);
    assertTrue(gaps.get(1) >= 400, "second retry after 400 ms: " + gaps);
    assertTrue(gaps.get(2) >= 800, "third retry after 800 ms: " + gaps);
    Thread.sleep(1_500);
    assertEquals(4, calls.size(), "a success ends the retries: " + calls);
  }

  @Test
  void eventsForOneResourceWhileTheWorkerIsBusyCostOneReconcileOfItsLatestState() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ReconcileLoop<ConfigMap> loop =
        start(
            cm -> {
              record(cm);
              if (cm.getMetadata().getName().equals("busy") && busy.getCount() > 0) {
                busy.countDown();
                await(release);
              }
              return Optional.empty();
            });
    create("busy", "1");
    await(busy);

    create("b", "1");
    edit("b", "2");
    edit("b", "3");
    awaitUntil(
        () ->
            loop.cached().stream()
                .anyMatch(
                    cm ->
                        cm.getMetadata().getName().equals("b")
                            && "3".equals(cm.getData().get("v"))));
    // The informer updates its cache before it hands the event to the loop's handler: give the
    // last edit's event time to be queued too, so that all three arrive while the worker is busy.
    Thread.sleep(500);
    release.countDown();

    awaitUntil(() -> calls.stream().anyMatch(c -> c.name().equals("b")));
    Thread.sleep(500);
    assertEquals(
        List.of("3"),
        calls.stream().filter(c -> c.name().equals("b")).map(Call::value).toList(),
        "three events for b while the worker was busy: " + calls);
  }

  private ReconcileLoop<ConfigMap> start(Reconciler<ConfigMap> reconciler) {
    ReconcileLoop<ConfigMap> loop =
        new ReconcileLoop<>(
            "test-operator",
            client.configMaps().inNamespace(NS),
            Duration.ofMinutes(10),
            FAST,
            reconciler);
    loops.add(loop);
    loop.start();
    awaitUntil(loop::synced);
    return loop;
  }

  private void record(ConfigMap cm) {
    calls.add(new Call(cm.getMetadata().getName(), cm.getData().get("v"), System.nanoTime()));
  }

  private void create(String name, String value) {
    client
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withData(Map.of("v", value))
                .build())
        .create();
  }

  private void edit(String name, String value) {
    client
        .configMaps()
        .inNamespace(NS)
        .withName(name)
        .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("v", value)).build());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("waited " + PATIENCE + " in vain");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within " + PATIENCE);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
