package dev.slipway.deploy.forge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.platform.git.RepositoryUrl;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which API a repository's deployments go to, derived from its clone URL like commit statuses. */
class DeploymentCallsTest {

  @ParameterizedTest
  @CsvSource({
    "https://github.com/acme/shop.git, false, , https://api.github.com/repos/acme/shop",
    "git@github.com:acme/shop.git, false, , https://api.github.com/repos/acme/shop",
    "https://acme.ghe.com/acme/shop, false, , https://api.acme.ghe.com/repos/acme/shop",
    "https://git.acme.internal/acme/shop, false, , https://git.acme.internal/api/v3/repos/acme/shop",
    "https://github.com/acme/shop, false, https://ghe.acme.internal/api/v3/,"
        + " https://ghe.acme.internal/api/v3/repos/acme/shop",
    "https://gitlab.com/acme/backend/shop.git, true, ,"
        + " https://gitlab.com/api/v4/projects/acme%2Fbackend%2Fshop",
    "https://gitlab.com/acme/shop, true, https://gitlab.acme.internal/api/v4,"
        + " https://gitlab.acme.internal/api/v4/projects/acme%2Fshop",
  })
  void theApiRootFollowsTheRepositoryUrlUnlessConfigured(
      String repository, boolean gitlab, String configured, String root) {
    Optional<DeploymentCalls> calls =
        RepositoryUrl.parse(repository)
            .flatMap(
                r ->
                    DeploymentCalls.of(
                        r, gitlab, configured == null ? null : URI.create(configured)));

    assertEquals(URI.create(root), calls.orElseThrow().root());
  }

  @ParameterizedTest
  @CsvSource({"https://github.com/acme, false", "https://github.com/acme/team/shop, false"})
  void aGitHubUrlThatNamesNoOwnerAndRepositoryHasNoDeployments(String repository, boolean gitlab) {
    assertTrue(
        RepositoryUrl.parse(repository)
            .flatMap(r -> DeploymentCalls.of(r, gitlab, null))
            .isEmpty());
  }

  @ParameterizedTest
  @CsvSource({"REVIEW, development", "STAGING, staging", "PRODUCTION, production"})
  void gitLabTiersFollowTheAppsStage(EnvironmentTier tier, String gitlabTier) {
    assertEquals(gitlabTier, DeploymentCalls.gitlabTier(tier));
  }
}
