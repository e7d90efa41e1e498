package dev.slipway.platform.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlPolicyTest {

  private static final UrlPolicy DEFAULTS = new UrlPolicy(UrlPolicy.Settings.defaults());

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://github.com/acme/shop.git            | allowed",
        "https://GitHub.com/acme/shop                | allowed",
        "ssh://git@github.com/acme/shop.git          | allowed",
        "git@github.com:acme/shop.git                | allowed",
        "https://gitlab.com/group/sub/shop.git       | allowed",
        "http://github.com/acme/shop.git             | http:// is not allowed",
        "http://127.0.0.1:8084/q/metrics             | http:// is not allowed",
        "https://127.0.0.1:8084/q/metrics            | loopback",
        "https://[::1]/acme/x                        | loopback",
        "https://[::ffff:127.0.0.1]/acme/x           | loopback",
        "https://0x7f.1/acme/x                       | host",
        "https://2130706433/acme/x                   | host",
        "https://127.1/acme/x                        | host",
        "https://169.254.169.254/latest/meta-data    | link-local",
        "https://[fe80::1]/acme/x                    | link-local",
        "https://10.0.0.5/acme/x                     | private",
        "https://172.16.3.4/acme/x                   | private",
        "https://192.168.1.1/acme/x                  | private",
        "https://[fd00::1]/acme/x                    | private",
        "https://0.0.0.0/acme/x                      | wildcard",
        "git@10.1.2.3:acme/x.git                     | private",
        "https://evil.example/acme/shop.git          | not on the allow-list",
        "https://github.com.evil.example/acme/x      | not on the allow-list",
        "file:///etc/passwd                          | local paths",
        "file:/srv/git/x.git                         | local paths",
        "/srv/git/shop.git                           | local paths",
        "./shop                                      | local paths",
        "~/shop                                      | local paths",
        "shop                                        | local paths",
        "git://github.com/acme/shop.git              | git:// is not allowed",
        "ftp://github.com/acme/shop.git              | ftp:// is not allowed",
        "ext::sh -c touch% /tmp/pwned                | allow-list",
      })
  void defaultsAllowOnlyHttpsOrSshToAllowListedPublicHosts(String url, String expected) {
    Optional<String> refusal = DEFAULTS.refusal(url);
    if (expected.equals("allowed")) {
      assertEquals(Optional.empty(), refusal, url);
    } else {
      assertTrue(refusal.isPresent(), url + " must be refused");
      assertTrue(refusal.get().contains(expected), url + ": " + refusal.get());
    }
  }

  @Test
  void settingsOpenExactlyWhatTheyName() {
    UrlPolicy local =
        new UrlPolicy(
            new UrlPolicy.Settings(
                Set.of("git.internal", "*.corp.example"), Set.of("git.internal"), true, false));
    assertEquals(Optional.empty(), local.refusal("/srv/git/shop.git"));
    assertEquals(Optional.empty(), local.refusal("file:///srv/git/shop.git"));
    assertEquals(Optional.empty(), local.refusal("http://git.internal/acme/x.git"));
    assertEquals(Optional.empty(), local.refusal("https://gitlab.corp.example/acme/x.git"));
    assertTrue(local.refusal("http://gitlab.corp.example/acme/x.git").isPresent());
    assertTrue(local.refusal("https://github.com/acme/x.git").isPresent());
    assertTrue(local.refusal("https://127.0.0.1/acme/x.git").isPresent());

    UrlPolicy lab =
        new UrlPolicy(
            new UrlPolicy.Settings(Set.of("127.0.0.1"), Set.of("127.0.0.1"), false, true));
    assertEquals(Optional.empty(), lab.refusal("http://127.0.0.1:9000/acme/x.git"));
    assertTrue(lab.refusal("/srv/git/x.git").isPresent());
  }

  @Test
  void forgeApisAreJudgedByTheForgeHostsAloneNotByTheRepositoryHosts() {
    // An admin lets builds fetch from an internal http:// git server...
    UrlPolicy outbound =
        new UrlPolicy(
            new UrlPolicy.Settings(
                Set.of("github.com", "git.internal", "127.0.0.1"),
                Set.of("git.internal", "127.0.0.1"),
                true,
                true));
    assertEquals(Optional.empty(), outbound.refusal("http://git.internal/acme/x.git"));
    // ...which does not make it a place the forge token may go.
    UrlPolicy forge = outbound.forForgeApi(Set.of("api.github.com", "ghe.corp.example"), Set.of());
    assertEquals(Optional.empty(), forge.apiRefusal(URI.create("https://api.github.com/repos")));
    assertEquals(
        Optional.empty(), forge.apiRefusal(URI.create("https://ghe.corp.example/api/v3/repos")));
    assertTrue(
        forge
            .apiRefusal(URI.create("http://git.internal/api/v3/repos"))
            .orElseThrow()
            .contains("slipway.forge.http-hosts"));
    assertTrue(
        forge
            .apiRefusal(URI.create("https://git.internal/api/v3/repos"))
            .orElseThrow()
            .contains("slipway.forge.hosts"));
    assertTrue(forge.apiRefusal(URI.create("http://127.0.0.1:8080/api/v3")).isPresent());
    assertTrue(forge.apiRefusal(URI.create("http://ghe.corp.example/api/v3")).isPresent());
    assertTrue(forge.refusal("/srv/git/x.git").isPresent(), "never a local path");
  }

  @Test
  void aNameResolvingToAPrivateAddressIsRefusedBeforeConnecting() {
    Map<String, List<String>> dns =
        Map.of(
            "github.com", List.of("140.82.121.3"),
            "gitlab.com", List.of("172.65.251.78", "127.0.0.1"));
    UrlPolicy.Resolver resolver =
        host -> {
          List<String> found = dns.get(host);
          if (found == null) {
            throw new UnknownHostException(host);
          }
          List<InetAddress> out = new java.util.ArrayList<>();
          for (String a : found) {
            out.add(InetAddress.getByName(a));
          }
          return out;
        };
    UrlPolicy policy =
        new UrlPolicy(
            new UrlPolicy.Settings(
                Set.of("github.com", "gitlab.com", "nowhere.example"), Set.of(), false, false));
    assertEquals(
        Optional.empty(), policy.refusalBeforeConnect("https://github.com/acme/x.git", resolver));
    assertTrue(
        policy
            .refusalBeforeConnect("https://gitlab.com/acme/x.git", resolver)
            .orElseThrow()
            .contains("resolves to a loopback address"));
    assertTrue(
        policy
            .refusalBeforeConnect("https://nowhere.example/acme/x.git", resolver)
            .orElseThrow()
            .contains("does not resolve"));
  }

  @Test
  void aRefusedUrlIsNeverResolved() {
    AtomicInteger lookups = new AtomicInteger();
    UrlPolicy.Resolver counting =
        host -> {
          lookups.incrementAndGet();
          return List.of(InetAddress.getLoopbackAddress());
        };
    assertTrue(DEFAULTS.refusalBeforeConnect("http://127.0.0.1:1/q/metrics", counting).isPresent());
    assertTrue(DEFAULTS.refusalBeforeConnect("https://evil.example/x/y", counting).isPresent());
    assertEquals(0, lookups.get());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://api.github.com           | allowed",
        "https://gitlab.com               | allowed",
        "http://api.github.com            | http:// is not allowed",
        "https://127.0.0.1:9999           | loopback",
        "https://ghe.evil.example/api/v3  | not on the allow-list",
        "ssh://github.com                 | not an HTTP API",
      })
  void aForgeTokenGoesOnlyToAnAllowListedHttpsApi(String api, String expected) {
    Optional<String> refusal = DEFAULTS.apiRefusal(URI.create(api));
    if (expected.equals("allowed")) {
      assertEquals(Optional.empty(), refusal, api);
    } else {
      assertTrue(refusal.orElseThrow().contains(expected), api + ": " + refusal);
    }
  }

  @Test
  void refusalsNameTheSettingThatWouldAllowThem() {
    assertTrue(
        DEFAULTS.refusal("/srv/x").orElseThrow().contains("slipway.outbound.allow-local-paths"));
    assertTrue(
        DEFAULTS
            .refusal("https://10.0.0.1/x/y")
            .orElseThrow()
            .contains("slipway.outbound.allow-private-addresses"));
    assertFalse(DEFAULTS.refusal("https://evil.example/x/y").orElseThrow().contains("null"));
  }
}
