package dev.slipway.cli;

import static dev.slipway.cli.HerokuParityIT.await;
import static dev.slipway.cli.HerokuParityIT.commit;
import static dev.slipway.cli.HerokuParityIT.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.cli.SlipwayUpIT.Result;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless Chromium (Debian's chromium and chromium-driver) against a real
 * {@code slipway up}: a user signs in with a token, sees staging, opens a review app, promotes and
 * watches production change without a reload, reads a failing test run failed case first; a viewer
 * gets no Promote button. Screenshots go to target/dashboard-screenshots.
 */
class DashboardIT {

  static final Path NODE_EXAMPLE = SlipwayUpIT.SERVICES.resolve("examples/nodejs-web");
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration PATIENCE = Duration.ofMinutes(8);

  /** A test that fails: its run is the failing one the dashboard shows failed case first. */
  static final String BROKEN_TEST =
      """
      'use strict';
      const test = require('node:test');
      const assert = require('node:assert/strict');
      test('greets in Klingon', () => {
        assert.equal('Hello', 'nuqneH');
      });
      """;

  @TempDir Path dataDir;

  private final SlipwayUpIT platform = new SlipwayUpIT();
  private ChromeDriver browser;

  @AfterEach
  void stopEverything() throws Exception {
    try {
      if (browser != null) {
        // What the browser showed last: the first thing to read when this test fails.
        screenshot("last");
        Files.writeString(SCREENSHOTS.resolve("last.html"), browser.getPageSource());
        browser.quit();
      }
    } finally {
      try {
        platform.cli("down");
      } finally {
        platform.killWhateverIsLeft();
      }
    }
  }

  @Test
  void aUserSeesStagingOpensAReviewAppPromotesLiveReadsFailuresFirstAndAViewerCannotPromote()
      throws Exception {
    platform.dataDir = dataDir;
    int base = SlipwayUpIT.freeBase();
    platform.startUp(base);
    String adminToken = installationProperty("admin-token");
    int promotionPort = base + 3;

    Path repo = dataDir.resolve("dash-app");
    String first = createRepository(repo);
    JsonNode created =
        json(
            platform.cli(
                "pipelines:create",
                "dash",
                "--repo",
                repo.toString(),
                "--staging",
                "dash-staging",
                "--production",
                "dash-prod",
                "--review-apps",
                "--json"));
    String pipelineId = created.get("id").asText();
    URI webhook = URI.create(created.get("webhook_url").asText());
    String secret = created.get("webhook_secret").asText();
    await(
        "build-service knows the pipeline",
        () -> {
          HttpResponse<String> r = deliver(webhook, secret, "ping", HerokuParityIT.ping(repo));
          return r.statusCode() / 100 == 2 ? Optional.of(r) : Optional.empty();
        });

    assertEquals(
        202, deliver(webhook, secret, "push", HerokuParityIT.push(repo, first)).statusCode());
    String prSha = branchCommit(repo, "friendlier", "app.json", "Hello from pull request #1");
    HttpResponse<String> opened =
        deliver(webhook, secret, "pull_request", pullRequest(repo, prSha, first));
    assertEquals(2, opened.statusCode() / 100, opened.body());
    JsonNode staging = awaitCurrentRelease("dash-staging");
    JsonNode reviewApp = awaitReviewApp();
    String broken = commit(repo, "test/broken.test.js", BROKEN_TEST, "A test that fails");
    assertEquals(
        202, deliver(webhook, secret, "push", HerokuParityIT.push(repo, broken)).statusCode());

    browser = chromium();
    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);

    // The first port of slipway up opens the dashboard; the user signs in with a token.
    browser.get("http://localhost:" + base + "/");
    signIn(wait, adminToken);
    assertTrue(
        browser.getCurrentUrl().startsWith("http://localhost:" + promotionPort + "/"),
        browser.getCurrentUrl());
    wait.until(ExpectedConditions.elementToBeClickable(By.linkText("dash"))).click();

    // The staging column shows the release deploy-service reports for the staging app (once
    // promotion-service's history has it: the page catches up live, without a reload).
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("[data-stage=staging][data-app=dash-staging] .release-version"),
            "v" + staging.get("version").asInt()));
    assertEquals(
        "none yet",
        browser.findElement(By.cssSelector("[data-stage=production] .release-version")).getText());
    wait.until(ExpectedConditions.textToBe(By.id("live"), "● live"));
    screenshot("pipeline");

    // At a phone's width the columns stack: nothing is wider than the screen.
    browser.manage().window().setSize(new Dimension(390, 844));
    assertEquals(
        Boolean.TRUE,
        ((JavascriptExecutor) browser)
            .executeScript("return document.documentElement.scrollWidth <= window.innerWidth;"),
        "the pipeline page scrolls sideways at 390 px");
    screenshot("pipeline-phone");
    browser.manage().window().setSize(new Dimension(1280, 800));

    // The pull request's review app link opens the review app itself.
    WebElement link = browser.findElement(By.cssSelector("[data-pr='1'] a.review-app-link"));
    assertEquals(reviewApp.get("url").asText(), link.getAttribute("href"));
    String pipelineWindow = browser.getWindowHandle();
    link.click();
    wait.until(ExpectedConditions.numberOfWindowsToBe(2));
    for (String handle : browser.getWindowHandles()) {
      if (!handle.equals(pipelineWindow)) {
        browser.switchTo().window(handle);
      }
    }
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Hello"));
    assertTrue(
        browser.findElement(By.tagName("body")).getText().contains("pull request #1"),
        browser.getPageSource());
    screenshot("review-app");
    browser.close();
    browser.switchTo().window(pipelineWindow);

    // Promote: production updates in place, without a reload (the page's state survives).
    ((JavascriptExecutor) browser).executeScript("window.beforePromote = 'still here';");
    browser.findElement(By.id("promote")).click();
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("[data-stage=production][data-app=dash-prod] .release-version"), "v1"));
    assertEquals(
        "still here", ((JavascriptExecutor) browser).executeScript("return window.beforePromote"));
    JsonNode production = awaitCurrentRelease("dash-prod");
    assertEquals(
        staging.get("artifact_digest").asText(), production.get("artifact_digest").asText());
    screenshot("promoted");

    // The failing test run of the broken commit lists its failed case first.
    awaitRunOf(broken, "failed");
    browser.findElement(By.id("test-runs-link")).click();
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#test-runs tr[data-status=failed] a")))
        .click();
    WebElement firstCase =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#test-cases tbody tr:first-child")));
    assertEquals("failed", firstCase.getAttribute("data-outcome"));
    assertEquals(
        "greets in Klingon", firstCase.findElement(By.cssSelector(".case-name")).getText());
    List<WebElement> rows = browser.findElements(By.cssSelector("#test-cases tbody tr"));
    assertTrue(
        rows.stream().anyMatch(r -> "passed".equals(r.getAttribute("data-outcome"))),
        "the passing cases are listed after the failed one");
    screenshot("failing-test-run");

    // A viewer signs in: no Promote button, and the server refuses the promotion anyway.
    String viewerToken = viewerToken(promotionPort, adminToken);
    browser.findElement(By.xpath("//button[text()='Sign out']")).click();
    signIn(wait, viewerToken);
    browser.get("http://localhost:" + promotionPort + "/#/pipelines/" + pipelineId);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("promote-role")));
    assertTrue(browser.findElements(By.id("promote")).isEmpty(), "a viewer sees no Promote");
    assertTrue(
        browser.findElements(By.xpath("//button[starts-with(text(),'Rollback')]")).isEmpty(),
        "a viewer sees no Rollback");
    screenshot("viewer");
    HttpResponse<String> refused =
        HerokuParityIT.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:"
                            + promotionPort
                            + "/pipelines/"
                            + pipelineId
                            + "/promotions"))
                .header("Authorization", "Bearer " + viewerToken)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"source\":{\"app\":\"dash-staging\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, refused.statusCode(), refused.body());
  }

  /** Debian's chromium through its chromium-driver: nothing downloaded, a fresh profile. */
  private static ChromeDriver chromium() throws IOException {
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        "--user-data-dir=" + Files.createTempDirectory("dashboard-chromium"));
    ChromeDriver driver =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build(),
            options);
    driver.manage().window().setSize(new Dimension(1280, 800));
    return driver;
  }

  private void signIn(WebDriverWait wait, String token) {
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.sendKeys(token);
    browser.findElement(By.xpath("//button[text()='Sign in']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("who")));
  }

  private void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private String installationProperty(String key) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newInputStream(dataDir.resolve("config.properties"))) {
      p.load(in);
    }
    return p.getProperty(key);
  }

  /** A viewer token issued by promotion-service (tokens belong to one service). */
  private static String viewerToken(int promotionPort, String adminToken) throws Exception {
    HttpResponse<String> r =
        HerokuParityIT.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + promotionPort + "/api-tokens"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"dashboard viewer\",\"role\":\"viewer\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("token").asText();
  }

  private JsonNode awaitCurrentRelease(String app) throws Exception {
    return await(
        app + " has a current release",
        () -> {
          Result r = platform.cli("releases", app, "--json");
          if (r.code() != 0) {
            return Optional.empty();
          }
          for (JsonNode rel : JSON.readTree(r.out())) {
            if (rel.path("current").asBoolean()) {
              return Optional.of(rel);
            }
          }
          return Optional.empty();
        });
  }

  private JsonNode awaitReviewApp() throws Exception {
    return await(
        "the review app of pull request #1 has a URL",
        () -> {
          Result r = platform.cli("reviewapps", "-p", "dash", "--json");
          if (r.code() != 0) {
            return Optional.empty();
          }
          for (JsonNode app : JSON.readTree(r.out())) {
            if (app.path("pr_number").asInt() == 1
                && "created".equals(app.path("status").asText())
                && app.hasNonNull("url")) {
              return Optional.of(app);
            }
          }
          return Optional.empty();
        });
  }

  private void awaitRunOf(String sha, String status) throws Exception {
    await(
        "the test run of " + sha + " is " + status,
        () -> {
          for (JsonNode r : json(platform.cli("ci", "-p", "dash", "--json"))) {
            if (sha.equals(r.path("commit_sha").asText())
                && status.equals(r.path("status").asText())) {
              return Optional.of(r);
            }
          }
          return Optional.empty();
        });
  }

  private static JsonNode json(Result r) throws IOException {
    assertEquals(0, r.code(), r.toString());
    return JSON.readTree(r.out());
  }

  /** The Node.js example on main, committed. */
  private static String createRepository(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(NODE_EXAMPLE)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path relative = NODE_EXAMPLE.relativize(from);
        if (relative.startsWith("node_modules")) {
          continue;
        }
        Path to = dir.resolve(relative.toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    try (Git git = Git.init().setInitialBranch("main").setDirectory(dir.toFile()).call()) {
      git.add().addFilepattern(".").call();
      return git.commit()
          .setMessage("Initial commit")
          .setAuthor(HerokuParityIT.AUTHOR)
          .setCommitter(HerokuParityIT.AUTHOR)
          .setSign(false)
          .call()
          .getName();
    }
  }

  /** The review app's greeting changed on {@code branch}; main stays where it was. */
  private static String branchCommit(Path dir, String branch, String file, String greeting)
      throws Exception {
    try (Git git = Git.open(dir.toFile())) {
      git.checkout().setCreateBranch(true).setName(branch).call();
      String json = Files.readString(dir.resolve(file));
      String sha =
          commit(dir, file, json.replace("Hello from a Slipway review app", greeting), greeting);
      git.checkout().setName("main").call();
      return sha;
    }
  }

  private static ObjectNode pullRequest(Path repo, String headSha, String baseSha) {
    ObjectNode p = JSON.createObjectNode();
    p.put("action", "opened").put("number", 1);
    ObjectNode pr = p.putObject("pull_request");
    pr.put("number", 1)
        .put("title", "Friendlier greeting")
        .put("html_url", "https://forge.example/acme/dash/pull/1")
        .put("state", "open")
        .put("merged", false);
    pr.putObject("user").put("login", "dash");
    pr.putObject("head")
        .put("ref", "friendlier")
        .put("sha", headSha)
        .set("repo", HerokuParityIT.repository(repo));
    pr.putObject("base")
        .put("ref", "main")
        .put("sha", baseSha)
        .set("repo", HerokuParityIT.repository(repo));
    p.set("repository", HerokuParityIT.repository(repo));
    p.putObject("sender").put("login", "dash");
    return p;
  }
}
