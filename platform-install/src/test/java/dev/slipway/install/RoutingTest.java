package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTTPRoute sends every public endpoint that docs/api.md lists to the service that serves it,
 * through exactly one rule, whatever precedence a Gateway implementation gives its matches.
 */
class RoutingTest {

  // | service | METHOD | `path` | role |
  private static final Pattern ENDPOINT =
      Pattern.compile("^\\| ([a-z]+-service) \\| [A-Z]+ \\| `([^`]+)`", Pattern.MULTILINE);

  @Test
  void everyPublicEndpointOfTheApiReachesItsServiceThroughExactlyOneRule() throws IOException {
    HTTPRoute route = RenderedProfile.load(Profile.PRODUCTION).all(HTTPRoute.class).get(0);
    String api = Files.readString(RenderedProfile.repository().resolve("docs/api.md"));
    Matcher endpoints = ENDPOINT.matcher(api);
    int checked = 0;
    while (endpoints.find()) {
      String service = endpoints.group(1);
      String path = endpoints.group(2).replaceAll("\\{[^}]+}", "x1");
      if (path.startsWith("/api-tokens") || path.startsWith("/source-bundles")) {
        assertEquals(List.of(), backends(route, path), path + " must not be public");
        continue;
      }
      if (path.equals("/")) {
        // build-service's / redirects to the dashboard on its own port (slipway up); behind the
        // Gateway's one host the page itself is served there, by promotion-service.
        assertEquals(List.of("promotion-service"), backends(route, path), path);
        checked++;
        continue;
      }
      assertEquals(List.of(service), backends(route, path), path);
      checked++;
    }
    assertTrue(checked >= 30, "endpoints checked: " + checked);
  }

  @Test
  void anUnknownPathReachesNoService() {
    HTTPRoute route = RenderedProfile.load(Profile.PRODUCTION).all(HTTPRoute.class).get(0);
    assertEquals(List.of(), backends(route, "/q/metrics"));
    assertEquals(List.of(), backends(route, "/buildsx"));
    assertEquals(List.of(), backends(route, "/dashboardx"));
  }

  /** The backends of every rule matching the path, as Gateway API defines the match types. */
  private static List<String> backends(HTTPRoute route, String path) {
    List<String> found = new ArrayList<>();
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      for (var match : rule.getMatches()) {
        if (matches(match.getPath(), path)) {
          found.add(rule.getBackendRefs().get(0).getName());
        }
      }
    }
    return found;
  }

  private static boolean matches(HTTPPathMatch match, String path) {
    return switch (match.getType()) {
      case "Exact" -> path.equals(match.getValue());
      // Element-wise: /builds matches /builds and /builds/..., not /buildsx.
      case "PathPrefix" -> path.equals(match.getValue()) || path.startsWith(match.getValue() + "/");
      // Envoy, Istio and Cilium match the whole path (RE2); Java's syntax agrees on these.
      case "RegularExpression" -> path.matches(match.getValue());
      default -> throw new AssertionError("unknown match type " + match.getType());
    };
  }
}
