package dev.slipway.promotion.pipeline.operator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.api.v1alpha1.PipelineCustomResource;
import dev.slipway.api.v1alpha1.PipelineCustomResourceSpec;
import dev.slipway.api.v1alpha1.PipelineCustomResourceStatus;
import dev.slipway.kubernetes.leader.LeaseLeadership;
import dev.slipway.platform.outbound.UrlPolicy;
import dev.slipway.promotion.pipeline.Pipelines;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a GitOps user sees: a Pipeline resource applied to the cluster becomes a pipeline of the
 * REST API, follows the resource's edits, reports back in its status and goes away with it.
 */
@QuarkusTest
@TestProfile(PipelineOperatorTest.OperatorOn.class)
@WithKubernetesTestServer(crud = true, setup = PipelineOperatorTest.InstallCrd.class)
@QuarkusTestResource(SlipwayInfrastructure.class)
class PipelineOperatorTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String NAMESPACE = "team-shop";
  private static final String OTHER = "team-other";

  /** Short timings so that a takeover happens within the test's patience. */
  private static final LeaseLeadership.Timing TIMING =
      new LeaseLeadership.Timing(
          Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200));

  private static final String LEASE = "slipway-promotion-service-pipeline-operator";

  @Inject KubernetesClient client;
  @Inject PipelineOperator operator;
  @Inject Pipelines pipelines;
  @Inject Validator validator;
  @Inject UrlPolicy urlPolicy;

  @Test
  void appliedPipelineBecomesAReadyPipelineFollowsEditsAndIsDeletedWithTheResource() {
    String s = suffix();
    String name = "shop-" + s;
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-forge-" + s)
                .endMetadata()
                .addToStringData("webhook", "0123456789abcdef-secret")
                .build())
        .create();
    PipelineCustomResourceSpec spec =
        new PipelineCustomResourceSpec(
            null,
            "https://github.com/acme/shop",
            null,
            null,
            new PipelineCustomResourceSpec.SecretKeyRef("shop-forge-" + s, "webhook"),
            null,
            List.of(
                new PipelineCustomResourceSpec.Coupling("staging", "shop-staging-" + s),
                new PipelineCustomResourceSpec.Coupling("production", "shop-" + s)),
            null,
            null,
            new PipelineCustomResourceSpec.ConfigVars(null, Map.of("API_KEY", "review-only-value")),
            null);
    apply(name, spec);

    PipelineCustomResource ready = awaitCondition(name, "Ready", "True");
    String id = ready.getStatus().pipelineId();
    assertNotNull(id);
    assertEquals(ready.getMetadata().getGeneration(), ready.getStatus().observedGeneration());
    assertEquals("False", condition(ready, "Stalled").getStatus());
    assertTrue(ready.hasFinalizer("slipway.dev/pipeline"));
    admin()
        .get("/pipelines")
        .then()
        .statusCode(200)
        .body("find { it.name == '" + name + "' }.id", equalTo(id))
        .body("find { it.name == '" + name + "' }.forge", equalTo("github"))
        .body("find { it.name == '" + name + "' }.branch", equalTo("main"))
        .body("find { it.name == '" + name + "' }.webhook_secret_set", equalTo(true))
        .body("find { it.name == '" + name + "' }.couplings.app_name", equalTo(couplings(s)))
        .body("find { it.name == '" + name + "' }.config_vars.review.API_KEY", not(equalTo(null)));

    resource(name)
        .edit(
            cr -> {
              cr.setSpec(
                  new PipelineCustomResourceSpec(
                      null,
                      "https://github.com/acme/shop",
                      null,
                      "release",
                      spec.webhookSecretRef(),
                      null,
                      List.of(new PipelineCustomResourceSpec.Coupling("production", "shop-" + s)),
                      null,
                      null,
                      null,
                      new PipelineCustomResourceSpec.PromotionPolicy(2, null, null)));
              return cr;
            });
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                admin()
                    .get("/pipelines/" + id)
                    .then()
                    .statusCode(200)
                    .body("branch", equalTo("release"))
                    .body("auto_deploy.branch", equalTo("release"))
                    .body("promotion_policy.required_approvals", equalTo(2))
                    .body("couplings.app_name", equalTo(List.of("shop-" + s))));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              PipelineCustomResource edited = resource(name).get();
              assertEquals(
                  edited.getMetadata().getGeneration(), edited.getStatus().observedGeneration());
              assertEquals("True", condition(edited, "Ready").getStatus());
              assertEquals(id, edited.getStatus().pipelineId());
            });

    resource(name).delete();
    await().atMost(PATIENCE).until(() -> resource(name).get() == null);
    admin().get("/pipelines/" + id).then().statusCode(404);
  }

  @Test
  void invalidPipelineIsStalledWithItsReasonCreatesNothingAndRecoversOnceFixed() {
    String name = "bad-" + suffix();
    apply(name, spec("https://deploy:hunter2@github.com/acme/bad", List.of(), null));

    PipelineCustomResource stalled = awaitCondition(name, "Stalled", "True");
    Condition reason = condition(stalled, "Stalled");
    assertEquals("InvalidSpec", reason.getReason());
    assertTrue(reason.getMessage().startsWith("spec.repositoryUrl: "), reason.getMessage());
    assertEquals("False", condition(stalled, "Ready").getStatus());
    assertEquals(null, stalled.getStatus().pipelineId());
    admin().get("/pipelines").then().statusCode(200).body("name", not(hasItem(name)));

    resource(name)
        .edit(
            cr -> {
              cr.setSpec(spec("https://github.com/acme/bad", List.of(), null));
              return cr;
            });
    String id = awaitCondition(name, "Ready", "True").getStatus().pipelineId();
    admin().get("/pipelines/" + id).then().statusCode(200).body("name", equalTo(name));

    resource(name).delete();
    await().atMost(PATIENCE).until(() -> resource(name).get() == null);
    admin().get("/pipelines/" + id).then().statusCode(404);
  }

  @Test
  void appCoupledToAnotherPipelineStallsTheResourceAndChangesNothing() {
    String s = suffix();
    String app = "api-" + s;
    admin()
        .body(
            Map.of(
                "name",
                "owner-" + s,
                "repository_url",
                "https://github.com/acme/owner",
                "couplings",
                List.of(Map.of("stage", "production", "app_name", app))))
        .post("/pipelines")
        .then()
        .statusCode(201);
    String name = "claimer-" + s;
    apply(
        name,
        spec(
            "https://github.com/acme/claimer",
            List.of(new PipelineCustomResourceSpec.Coupling("production", app)),
            null));

    Condition stalled = condition(awaitCondition(name, "Stalled", "True"), "Stalled");
    assertEquals("Conflict", stalled.getReason());
    assertEquals(
        "spec.couplings: app " + app + " is already coupled to another pipeline",
        stalled.getMessage());
    admin().get("/pipelines").then().statusCode(200).body("name", not(hasItem(name)));

    resource(name).delete();
    await().atMost(PATIENCE).until(() -> resource(name).get() == null);
  }

  @Test
  void missingSecretKeepsTheResourceReconcilingUntilTheSecretExists() {
    String s = suffix();
    String name = "wait-" + s;
    apply(
        name,
        spec(
            "https://gitlab.com/acme/wait",
            List.of(),
            new PipelineCustomResourceSpec.SecretKeyRef("wait-forge-" + s, "token")));

    Condition waiting = condition(awaitCondition(name, "Reconciling", "True"), "Reconciling");
    assertEquals("SecretNotFound", waiting.getReason());
    admin().get("/pipelines").then().statusCode(200).body("name", not(hasItem(name)));

    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("wait-forge-" + s)
                .endMetadata()
                .addToStringData("token", "glpat-0123456789")
                .build())
        .create();
    String id = awaitCondition(name, "Ready", "True").getStatus().pipelineId();
    admin()
        .get("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("forge", equalTo("gitlab"))
        .body("forge_token_set", equalTo(true));

    resource(name).delete();
    await().atMost(PATIENCE).until(() -> resource(name).get() == null);
  }

  @Test
  void resourceNamedLikeAPipelineCreatedThroughTheApiIsStalledAndNeverAdoptsIt() {
    String name = "api-" + suffix();
    String id =
        admin()
            .body(Map.of("name", name, "repository_url", "https://github.com/acme/api"))
            .post("/pipelines")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    apply(name, spec("https://github.com/acme/takeover", List.of(), null));

    PipelineCustomResource stalled = awaitCondition(name, "Stalled", "True");
    Condition reason = condition(stalled, "Stalled");
    assertEquals("NameTaken", reason.getReason());
    assertEquals(
        "pipeline name "
            + name
            + " belongs to a pipeline created through the API, which a Pipeline resource never"
            + " adopts: choose another spec.name, or delete that pipeline first",
        reason.getMessage());
    assertEquals(null, stalled.getStatus().pipelineId());
    admin()
        .get("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("repository_url", equalTo("https://github.com/acme/api"));

    resource(name).delete();
    await().atMost(PATIENCE).until(() -> resource(name).get() == null);
    admin().get("/pipelines/" + id).then().statusCode(200);
  }

  @Test
  void sameNameInAnotherNamespaceIsStalledAndItsForgedStatusDeletesNothing() {
    String name = "twin-" + suffix();
    apply(name, spec("https://github.com/acme/twin", List.of(), null));
    String id = awaitCondition(name, "Ready", "True").getStatus().pipelineId();
    PipelineCustomResource twin = new PipelineCustomResource();
    twin.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(OTHER).build());
    twin.setSpec(spec("https://github.com/evil/twin", List.of(), null));
    client.resource(twin).create();
    Resource<PipelineCustomResource> other =
        client.resources(PipelineCustomResource.class).inNamespace(OTHER).withName(name);

    Condition stalled =
        condition(
            await()
                .atMost(PATIENCE)
                .until(
                    other::get,
                    cr ->
                        cr != null
                            && condition(cr, "Stalled") != null
                            && "True".equals(condition(cr, "Stalled").getStatus())),
            "Stalled");
    assertEquals("NameTaken", stalled.getReason());
    assertEquals(
        "pipeline name "
            + name
            + " is managed by another Pipeline resource in another namespace: choose another"
            + " spec.name",
        stalled.getMessage());
    // Whoever may edit the resource may write its status: naming the twin's pipeline there must
    // not hand it over, nor let the deletion delete it.
    other.editStatus(
        cr -> {
          cr.setStatus(
              new PipelineCustomResourceStatus(
                  id, cr.getStatus().observedGeneration(), cr.getStatus().conditions()));
          return cr;
        });
    other.delete();
    await().atMost(PATIENCE).until(() -> other.get() == null);
    admin()
        .get("/pipelines/" + id)
        .then()
        .statusCode(200)
        .body("repository_url", equalTo("https://github.com/acme/twin"));

    resource(name).delete();
    await().atMost(PATIENCE).until(() -> resource(name).get() == null);
    admin().get("/pipelines/" + id).then().statusCode(404);
  }

  @Test
  void ofTwoReplicasOnlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItStops() {
    // This application's operator is replica a; replica b is a second operator with its own client.
    await().atMost(PATIENCE).until(operator::leading);
    KubernetesClient own =
        new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    PipelineOperator b =
        new PipelineOperator(
            true,
            Optional.empty(),
            Duration.ofMinutes(10),
            null,
            pipelines,
            validator,
            urlPolicy,
            null);
    b.start(
        own,
        new LeaseLeadership(
            own, "slipway", LEASE, PipelineOperator.JOB, "promotion-service-b", TIMING));
    String s = suffix();
    try {
      apply("first-" + s, spec("https://github.com/acme/first", List.of(), null));
      awaitCondition("first-" + s, "Ready", "True");
      assertEquals("promotion-service-a", leaseHolder());
      assertEquals(0, b.reconciles());

      operator.stop(null);
      apply("second-" + s, spec("https://github.com/acme/second", List.of(), null));

      String id = awaitCondition("second-" + s, "Ready", "True").getStatus().pipelineId();
      admin().get("/pipelines/" + id).then().statusCode(200).body("name", equalTo("second-" + s));
      assertEquals("promotion-service-b", leaseHolder());
      assertTrue(b.reconciles() > 0);
      assertFalse(operator.leading());
    } finally {
      // Replica a becomes the operator again for the other tests of this application.
      b.stop(null);
      own.close();
      operator.start(null);
    }
    await().atMost(PATIENCE).until(operator::leading);
    resource("first-" + s).delete();
    resource("second-" + s).delete();
    await()
        .atMost(PATIENCE)
        .until(() -> resource("first-" + s).get() == null && resource("second-" + s).get() == null);
  }

  private String leaseHolder() {
    return client
        .leases()
        .inNamespace("slipway")
        .withName(LEASE)
        .get()
        .getSpec()
        .getHolderIdentity();
  }

  private static PipelineCustomResourceSpec spec(
      String repositoryUrl,
      List<PipelineCustomResourceSpec.Coupling> couplings,
      PipelineCustomResourceSpec.SecretKeyRef forgeToken) {
    return new PipelineCustomResourceSpec(
        null, repositoryUrl, null, null, null, forgeToken, couplings, null, null, null, null);
  }

  private void apply(String name, PipelineCustomResourceSpec spec) {
    PipelineCustomResource cr = new PipelineCustomResource();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    cr.setSpec(spec);
    client.resource(cr).create();
  }

  private Resource<PipelineCustomResource> resource(String name) {
    return client.resources(PipelineCustomResource.class).inNamespace(NAMESPACE).withName(name);
  }

  private PipelineCustomResource awaitCondition(String name, String type, String status) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> resource(name).get(),
            cr -> {
              Condition c = cr == null ? null : condition(cr, type);
              return c != null && status.equals(c.getStatus());
            });
  }

  private static Condition condition(PipelineCustomResource cr, String type) {
    if (cr.getStatus() == null || cr.getStatus().conditions() == null) {
      return null;
    }
    return cr.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static List<String> couplings(String s) {
    return List.of("shop-staging-" + s, "shop-" + s);
  }

  private static RequestSpecification admin() {
    return given()
        .auth()
        .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 6);
  }

  /** Turns the operator on; the mock API server's address comes from the test resource. */
  public static class OperatorOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "slipway.operator.enabled",
          "true",
          "slipway.leader-election.mode",
          "kubernetes",
          "slipway.leader-election.identity",
          "promotion-service-a",
          "slipway.leader-election.lease-duration",
          TIMING.leaseDuration().toMillis() + "ms",
          "slipway.leader-election.renew-deadline",
          TIMING.renewDeadline().toMillis() + "ms",
          "slipway.leader-election.retry-period",
          TIMING.retryPeriod().toMillis() + "ms",
          // The mock server logs every request at INFO.
          "quarkus.log.category.\"io.fabric8.mockwebserver\".level",
          "WARN");
    }
  }

  /**
   * Installs the committed CRD (platform-api checks it is as generated), as a cluster admin would.
   */
  public static class InstallCrd implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
      Path crd = Path.of("../k8s/crds", "pipelines.slipway.dev-v1.yml");
      server
          .getClient()
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .load(crd.toFile())
          .create();
    }
  }
}
