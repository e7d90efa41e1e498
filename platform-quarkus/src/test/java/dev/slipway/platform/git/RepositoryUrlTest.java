package dev.slipway.platform.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every spelling of a clone URL reads as where the repository lives, never who cloned it. */
class RepositoryUrlTest {

  private record Row(
      String url, String scheme, String host, int port, String path, boolean forge) {}

  private static final List<Row> TABLE =
      List.of(
          new Row("https://github.com/acme/shop", "https", "github.com", -1, "acme/shop", true),
          new Row("https://github.com/acme/shop.git", "https", "github.com", -1, "acme/shop", true),
          new Row("https://github.com/acme/shop/", "https", "github.com", -1, "acme/shop", true),
          new Row(
              "  https://x-access-token:secret@GitHub.com/Acme/shop.git  ",
              "https",
              "github.com",
              -1,
              "Acme/shop",
              true),
          new Row(
              "http://code.example:8929/ops/tools",
              "http",
              "code.example",
              8929,
              "ops/tools",
              true),
          new Row("git@github.com:acme/shop.git", "ssh", "github.com", -1, "acme/shop", true),
          new Row("github.com:acme/shop", "ssh", "github.com", -1, "acme/shop", true),
          new Row("ssh://git@github.com:22/acme/shop", "ssh", "github.com", 22, "acme/shop", true),
          new Row(
              "https://gitlab.com/group/sub.group/shop-api.git",
              "https",
              "gitlab.com",
              -1,
              "group/sub.group/shop-api",
              true),
          new Row("/srv/git/acme/shop.git", "file", "", -1, "/srv/git/acme/shop", false),
          new Row("file:///srv/git/acme/shop.git/", "file", "", -1, "/srv/git/acme/shop", false),
          new Row("file://localhost/srv/git/shop", "file", "", -1, "/srv/git/shop", false),
          new Row("not a url", "file", "", -1, "not a url", false),
          new Row("https://github.com/acme", "https", "github.com", -1, "acme", false),
          new Row("https://github.com/", "https", "github.com", -1, "", false),
          new Row("https:///acme/shop", "https", "", -1, "acme/shop", false),
          new Row(
              "https://github.com/acme/../shop", "https", "github.com", -1, "acme/../shop", false),
          new Row(
              "https://github.com/acme/sh%20op", "https", "github.com", -1, "acme/sh%20op", false),
          new Row(
              "https://gitlab.com/acme/shop/-/tree/main",
              "https",
              "gitlab.com",
              -1,
              "acme/shop/-/tree/main",
              false),
          new Row(
              "https://github.com/acme/shop?x=1 y",
              "https",
              "github.com",
              -1,
              "acme/shop?x=1 y",
              false),
          new Row("ftp://github.com/acme/shop", "ftp", "github.com", -1, "acme/shop", false));

  @Test
  void everySpellingReadsAsSchemeHostPortAndPathAndOnlyForgeShapedOnesNameAForgeRepository() {
    for (Row row : TABLE) {
      RepositoryUrl url = RepositoryUrl.parse(row.url()).orElseThrow();
      assertEquals(
          new RepositoryUrl(row.scheme(), row.host(), row.port(), row.path()), url, row.url());
      assertEquals(row.forge(), url.namesForgeRepository(), row.url());
    }
  }

  @Test
  void missingOrBlankUrlsReadAsNothing() {
    assertEquals(Optional.empty(), RepositoryUrl.parse(null));
    assertEquals(Optional.empty(), RepositoryUrl.parse("  "));
  }

  @Test
  void spellingsOfOneRepositoryAreTheSameAndOthersAreNot() {
    List<String> shop =
        List.of(
            "https://github.com/acme/shop",
            "https://github.com/Acme/Shop.git/",
            "git@github.com:acme/shop.git",
            "ssh://git@github.com:22/acme/shop",
            "https://token@github.com/acme/shop");
    for (String a : shop) {
      for (String b : shop) {
        assertEquals(true, RepositoryUrl.same(a, b), a + " ~ " + b);
      }
    }
    assertEquals(true, RepositoryUrl.same("/srv/git/shop.git", "file:///srv/git/shop"));
    assertEquals(false, RepositoryUrl.same("/srv/git/Shop", "/srv/git/shop"));
    assertEquals(
        false, RepositoryUrl.same("https://github.com/acme/shop", "https://gitlab.com/acme/shop"));
    assertEquals(
        false, RepositoryUrl.same("https://github.com/acme/shop", "https://github.com/acme/shop2"));
    assertEquals(false, RepositoryUrl.same("https://github.com/acme/shop", null));
  }

  @Test
  void displayNamesHostAndPathButNeverCredentials() {
    assertEquals(
        "gitlab.example.com/acme/shop",
        RepositoryUrl.parse("https://oauth2:glpat-secret@GitLab.example.com/acme/shop.git")
            .orElseThrow()
            .display());
  }
}
