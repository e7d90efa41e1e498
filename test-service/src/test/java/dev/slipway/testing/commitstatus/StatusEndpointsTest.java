package dev.slipway.testing.commitstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.platform.git.RepositoryUrl;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Clone URLs in all their spellings lead to the right commit status endpoint. */
class StatusEndpointsTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void everySpellingOfAGithubComRepositoryPostsToApiGithubCom() {
    for (String url :
        List.of(
            "https://github.com/acme/shop",
            "https://github.com/acme/shop.git",
            "https://github.com/acme/shop/",
            "  https://x-access-token:secret@github.com/acme/shop.git  ",
            "http://www.github.com/acme/shop",
            "git@github.com:acme/shop.git",
            "github.com:acme/shop",
            "ssh://git@github.com/acme/shop.git",
            "ssh://git@github.com:22/acme/shop")) {
      assertEquals(
          Optional.of(URI.create("https://api.github.com/repos/acme/shop/statuses/" + SHA)),
          statusUri(url, ForgeKind.GITHUB, null),
          url);
    }
  }

  @Test
  void githubEnterpriseServerUsesApiV3OnItsOwnHostAndPort() {
    assertEquals(
        Optional.of(
            URI.create("https://git.acme.example:8443/api/v3/repos/team/shop/statuses/" + SHA)),
        statusUri("https://git.acme.example:8443/team/shop.git", ForgeKind.GITHUB, null));
    assertEquals(
        Optional.of(URI.create("https://git.acme.example/api/v3/repos/team/shop/statuses/" + SHA)),
        statusUri("git@git.acme.example:team/shop.git", ForgeKind.GITHUB, null));
  }

  @Test
  void githubEnterpriseCloudWithDataResidencyUsesItsApiSubdomain() {
    assertEquals(
        Optional.of(URI.create("https://api.octo.ghe.com/repos/team/shop/statuses/" + SHA)),
        statusUri("https://octo.ghe.com/team/shop", ForgeKind.GITHUB, null));
  }

  @Test
  void gitlabNestedGroupsAreOneEncodedProjectIdOnTheInstanceRoot() {
    assertEquals(
        Optional.of(
            URI.create(
                "https://gitlab.com/api/v4/projects/group%2Fsub.group%2Fshop-api/statuses/" + SHA)),
        statusUri("https://gitlab.com/group/sub.group/shop-api.git", ForgeKind.GITLAB, null));
    assertEquals(
        Optional.of(
            URI.create("http://code.example:8929/api/v4/projects/ops%2Ftools/statuses/" + SHA)),
        statusUri("http://code.example:8929/ops/tools", ForgeKind.GITLAB, null));
    assertEquals(
        Optional.of(URI.create("https://code.example/api/v4/projects/ops%2Ftools/statuses/" + SHA)),
        statusUri("ssh://git@code.example:2222/ops/tools.git", ForgeKind.GITLAB, null));
  }

  @Test
  void aConfiguredApiBaseWinsWithoutDoublingSlashesOrTheApiVersion() {
    assertEquals(
        Optional.of(URI.create("http://localhost:9000/repos/acme/shop/statuses/" + SHA)),
        statusUri(
            "https://github.com/acme/shop",
            ForgeKind.GITHUB,
            URI.create("http://localhost:9000/")));
    assertEquals(
        Optional.of(URI.create("https://gl.internal/api/v4/projects/acme%2Fshop/statuses/" + SHA)),
        statusUri(
            "https://gitlab.com/acme/shop",
            ForgeKind.GITLAB,
            URI.create("https://gl.internal/api/v4/")));
    assertEquals(
        Optional.of(
            URI.create("https://gl.internal/gitlab/api/v4/projects/acme%2Fshop/statuses/" + SHA)),
        statusUri(
            "https://gitlab.com/acme/shop",
            ForgeKind.GITLAB,
            URI.create("https://gl.internal/gitlab")));
  }

  @Test
  void githubNeedsExactlyAnOwnerAndARepository() {
    assertEquals(
        Optional.empty(),
        statusUri("https://github.com/acme/shop/tree/main", ForgeKind.GITHUB, null));
    assertTrue(
        statusUri("https://gitlab.com/acme/shop/tree/main", ForgeKind.GITLAB, null).isPresent());
  }

  private static Optional<URI> statusUri(String url, ForgeKind forge, URI apiBase) {
    return RepositoryUrl.parse(url).flatMap(r -> StatusEndpoints.statusUri(r, forge, apiBase, SHA));
  }
}
