package dev.slipway.build;

import static dev.slipway.build.Forges.githubPush;

import dev.slipway.build.webhook.WebhookSignatures;
import dev.slipway.testkit.GitFixture;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire does not pick it up): signed push deliveries per second through
 * intake (verify, dedupe, record change and build, outbox) and the latency to the 2xx answer, with
 * no worker building. Run: {@code ./mvnw -pl build-service verify -Dtest=WebhookIntakeBenchmark
 * -Dbench.deliveries=3000 -Dbench.clients=8}; results in docs/performance.md.
 */
@QuarkusTest
@TestProfile(WorkersOffProfile.class)
@QuarkusTestResource(SlipwayInfrastructure.class)
class WebhookIntakeBenchmark {

  private static final String SECRET = "benchmark-webhook-secret";

  @TestHTTPResource("/")
  URI base;

  @Test
  void signedPushDeliveries() throws Exception {
    int deliveries = Integer.getInteger("bench.deliveries", 3000);
    int clients = Integer.getInteger("bench.clients", 8);
    int warmup = Math.min(300, deliveries / 10);
    Path app = Files.createTempDirectory("bench-app");
    Files.writeString(app.resolve("README.md"), "bench\n");
    try (GitFixture repo = GitFixture.withApp(app)) {
      String sha = repo.commitAndPush("bench");
      List<String> pipelines = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        pipelines.add(
            Forges.registerPipeline(
                "bench-" + i + "-" + UUID.randomUUID().toString().substring(0, 6),
                repo.url(),
                "main",
                SECRET));
      }
      byte[] body =
          githubPush(repo.url(), "refs/heads/main", Forges.ZEROS, sha)
              .toString()
              .getBytes(StandardCharsets.UTF_8);
      String signature = WebhookSignatures.gitHubSignature(body, SECRET);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      run(http, pipelines, body, signature, warmup, clients);
      long started = System.nanoTime();
      List<Long> latencies = run(http, pipelines, body, signature, deliveries, clients);
      double seconds = (System.nanoTime() - started) / 1e9;
      Collections.sort(latencies);
      System.out.printf(
          Locale.ROOT,
          "%nBENCHMARK webhook intake: %d signed push deliveries, %d clients, %d cores: %.0f"
              + " deliveries/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n%n",
          deliveries,
          clients,
          Runtime.getRuntime().availableProcessors(),
          deliveries / seconds,
          latencies.get(latencies.size() / 2) / 1e6,
          latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1) / 1e6,
          latencies.get(latencies.size() - 1) / 1e6);
    }
  }

  private List<Long> run(
      HttpClient http,
      List<String> pipelines,
      byte[] body,
      String signature,
      int count,
      int clients)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(
          pool.submit(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                  HttpRequest request =
                      HttpRequest.newBuilder(
                              base.resolve(
                                  "webhooks/github/" + pipelines.get(i % pipelines.size())))
                          .header("Content-Type", "application/json")
                          .header("X-GitHub-Event", "push")
                          .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                          .header("X-Hub-Signature-256", signature)
                          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                          .build();
                  long t0 = System.nanoTime();
                  HttpResponse<String> response =
                      http.send(request, HttpResponse.BodyHandlers.ofString());
                  latencies.add(System.nanoTime() - t0);
                  if (response.statusCode() != 202) {
                    throw new IllegalStateException(
                        "delivery answered " + response.statusCode() + ": " + response.body());
                  }
                }
                return null;
              }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();
    return latencies;
  }
}
