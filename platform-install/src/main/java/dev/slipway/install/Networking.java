package dev.slipway.install;

import static dev.slipway.install.SlipwayService.NAMESPACE;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who may reach the platform namespace's pods, and how the public API and the webhooks are routed:
 * an HTTPRoute on a Gateway (Gateway API), or optionally an Ingress.
 */
public final class Networking {

  /** The Gateway the route attaches to; a kustomize patch or an edit names another. */
  public static final String GATEWAY = "slipway-gateway";

  public static final String GATEWAY_NAMESPACE = "gateway-system";
  public static final String MONITORING_NAMESPACE = "monitoring";

  /**
   * Public paths and the service behind each. Several services answer under /pipelines/{id}/...;
   * the matches are disjoint, so the precedence Gateway API leaves to implementations for regular
   * expressions does not matter. /source-bundles is internal (build pods fetch it in-cluster) and
   * /api-tokens exists on every service, so neither is routed. RoutingTest holds this table to
   * docs/api.md's endpoint list.
   */
  static final List<Route> ROUTES =
      List.of(
          new Route("PathPrefix", "/webhooks", SlipwayService.BUILD),
          new Route("PathPrefix", "/builds", SlipwayService.BUILD),
          new Route("PathPrefix", "/test-runs", SlipwayService.TEST),
          new Route(
              "RegularExpression",
              "/pipelines/[^/]+/(test-runs|flaky-tests)(/.*)?",
              SlipwayService.TEST),
          new Route("PathPrefix", "/apps", SlipwayService.DEPLOY),
          new Route("PathPrefix", "/review-apps", SlipwayService.DEPLOY),
          new Route(
              "RegularExpression", "/pipelines/[^/]+/review-apps(/.*)?", SlipwayService.DEPLOY),
          new Route("Exact", "/pipelines", SlipwayService.PROMOTION),
          new Route(
              "RegularExpression",
              "/pipelines/[^/]+(/(promotions|overview|metrics)(/.*)?)?",
              SlipwayService.PROMOTION),
          new Route("PathPrefix", "/promotions", SlipwayService.PROMOTION),
          // The dashboard (ADR 0018): its page at / and its assets and endpoints under
          // /dashboard, all served by promotion-service; behind one host no redirect is needed.
          new Route("Exact", "/", SlipwayService.PROMOTION),
          new Route("PathPrefix", "/dashboard", SlipwayService.PROMOTION));

  /** A path match and its backend. */
  record Route(String type, String path, SlipwayService service) {}

  private Networking() {}

  public static List<Manifest> networkPolicies(Profile profile) {
    List<Manifest> all = new ArrayList<>();
    all.add(
        Manifest.of(
            new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName("slipway-default-deny-ingress")
                .withNamespace(NAMESPACE)
                .withLabels(Labels.partOf())
                .endMetadata()
                .withNewSpec()
                .withPodSelector(new LabelSelector())
                .withPolicyTypes("Ingress")
                .endSpec()
                .build(),
            "Nothing reaches a pod of the platform namespace unless a policy below allows it."));
    for (SlipwayService service : SlipwayService.values()) {
      List<NetworkPolicyPeer> peers = new ArrayList<>();
      peers.add(namespace(NAMESPACE));
      peers.add(namespace(GATEWAY_NAMESPACE));
      peers.add(namespace(MONITORING_NAMESPACE));
      if (service == SlipwayService.BUILD) {
        // Build and test pods fetch source bundles from build-service (GET /source-bundles).
        peers.add(namespace(SlipwayService.BUILDS_NAMESPACE));
        peers.add(
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(
                    new LabelSelectorBuilder()
                        .withMatchLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER))
                        .build())
                .build());
      }
      all.add(
          Manifest.of(
              new NetworkPolicyBuilder()
                  .withNewMetadata()
                  .withName(service.serviceName())
                  .withNamespace(NAMESPACE)
                  .withLabels(Labels.partOf())
                  .endMetadata()
                  .withNewSpec()
                  .withNewPodSelector()
                  .withMatchLabels(Labels.selector(service))
                  .endPodSelector()
                  .withPolicyTypes("Ingress")
                  .addNewIngress()
                  .withFrom(peers)
                  .addNewPort()
                  .withProtocol("TCP")
                  .withPort(new IntOrString(service.port()))
                  .endPort()
                  .endIngress()
                  .endSpec()
                  .build(),
              "The platform namespace, the Gateway ("
                  + GATEWAY_NAMESPACE
                  + ") and Prometheus ("
                  + MONITORING_NAMESPACE
                  + ")"
                  + (service == SlipwayService.BUILD
                      ? "; build and test pods fetching source bundles."
                      : ".")));
    }
    if (profile.inClusterInfrastructure()) {
      all.add(
          Manifest.of(
              new NetworkPolicyBuilder()
                  .withNewMetadata()
                  .withName(Infrastructure.POSTGRES_CLUSTER)
                  .withNamespace(NAMESPACE)
                  .withLabels(Labels.partOf())
                  .endMetadata()
                  .withNewSpec()
                  .withNewPodSelector()
                  .withMatchLabels(Map.of("cnpg.io/cluster", Infrastructure.POSTGRES_CLUSTER))
                  .endPodSelector()
                  .withPolicyTypes("Ingress")
                  .addNewIngress()
                  .withFrom(
                      new NetworkPolicyPeerBuilder()
                          .withNewPodSelector()
                          .withMatchLabels(Map.of("app.kubernetes.io/component", "service"))
                          .endPodSelector()
                          .build(),
                      new NetworkPolicyPeerBuilder()
                          .withNewPodSelector()
                          .withMatchLabels(
                              Map.of("cnpg.io/cluster", Infrastructure.POSTGRES_CLUSTER))
                          .endPodSelector()
                          .build(),
                      namespace("cnpg-system"))
                  .endIngress()
                  .endSpec()
                  .build(),
              "PostgreSQL: the services, the cluster's own instances and the CloudNativePG"
                  + " operator (cnpg-system). Strimzi writes the Kafka policies itself."));
    }
    return all;
  }

  /** The platform's public API and webhooks on the Gateway {@link #GATEWAY}. */
  public static Manifest httpRoute() {
    List<HTTPRouteRule> rules = new ArrayList<>();
    for (Route route : ROUTES) {
      rules.add(
          new HTTPRouteRuleBuilder()
              .addNewMatch()
              .withNewPath()
              .withType(route.type())
              .withValue(route.path())
              .endPath()
              .endMatch()
              .addNewBackendRef()
              .withName(route.service().serviceName())
              .withPort(route.service().port())
              .endBackendRef()
              .build());
    }
    return Manifest.of(
        new HTTPRouteBuilder()
            .withNewMetadata()
            .withName("slipway-api")
            .withNamespace(NAMESPACE)
            .withLabels(Labels.partOf())
            .endMetadata()
            .withNewSpec()
            .addNewParentRef()
            .withGroup("gateway.networking.k8s.io")
            .withKind("Gateway")
            .withName(GATEWAY)
            .withNamespace(GATEWAY_NAMESPACE)
            .endParentRef()
            .withRules(rules)
            .endSpec()
            .build(),
        "The public API and webhooks. The Gateway "
            + GATEWAY_NAMESPACE
            + "/"
            + GATEWAY
            + " must allow routes from this namespace.",
        "RegularExpression matches are an extended Gateway API feature; most implementations"
            + " (Envoy Gateway, Istio, Cilium) support them.");
  }

  /**
   * The same routing as an Ingress, for clusters without Gateway API: rendered beside the profiles,
   * not in them. Ingress has no regular expressions, so /pipelines/{id}/test-runs and
   * /pipelines/{id}/review-apps are not reachable through it.
   */
  public static Manifest ingress() {
    IngressBuilder ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withName("slipway-api")
            .withNamespace(NAMESPACE)
            .withLabels(Labels.partOf())
            .endMetadata();
    var rule = ingress.withNewSpec().addNewRule().withNewHttp();
    List<Route> routes = new ArrayList<>();
    for (Route route : ROUTES) {
      if (route.type().equals("PathPrefix")) {
        routes.add(route);
      }
    }
    // Ingress has no regular expressions: everything under /pipelines goes to promotion-service.
    routes.add(new Route("PathPrefix", "/pipelines", SlipwayService.PROMOTION));
    for (Route route : routes) {
      rule.addToPaths(
          new HTTPIngressPathBuilder()
              .withPath(route.path())
              .withPathType("Prefix")
              .withNewBackend()
              .withNewService()
              .withName(route.service().serviceName())
              .withNewPort()
              .withNumber(route.service().port())
              .endPort()
              .endService()
              .endBackend()
              .build());
    }
    return Manifest.of(
        rule.endHttp().endRule().endSpec().build(),
        "Optional: the public API through an Ingress instead of the HTTPRoute. Without regular"
            + " expressions,",
        "/pipelines/{id}/test-runs, /flaky-tests and /review-apps are not routed; use the"
            + " HTTPRoute where you can.");
  }

  private static NetworkPolicyPeer namespace(String name) {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(
            new LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", name))
                .build())
        .build();
  }
}
