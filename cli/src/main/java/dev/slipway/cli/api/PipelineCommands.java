package dev.slipway.cli.api;

import static dev.slipway.cli.output.Fields.sha;
import static dev.slipway.cli.output.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.cli.CliException;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.http.ApiClient;
import dev.slipway.cli.output.Statuses;
import dev.slipway.cli.output.Table;
import dev.slipway.events.promotion.PromotionStatus;
import dev.slipway.events.promotion.PromotionTargetStatus;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipelines}, {@code pipelines:create|info|destroy|promote} (promotion-service). */
public final class PipelineCommands {

  private static final SecureRandom RANDOM = new SecureRandom();

  private PipelineCommands() {}

  /** Couplings as "app (stage)" for a table cell. */
  static String apps(JsonNode pipeline, String stage) {
    List<String> names = new ArrayList<>();
    for (JsonNode c : pipeline.path("couplings")) {
      if (stage.equals(c.path("stage").asText())) {
        names.add(c.path("app_name").asText());
      }
    }
    return String.join(",", names);
  }

  /** {@code slipway pipelines}. */
  @Command(name = "pipelines", description = "List pipelines.")
  public static class ListPipelines extends ApiCommand {
    @Override
    protected void run() {
      JsonNode all = api().get(Service.PROMOTION, "/pipelines");
      if (json) {
        printJson(all);
        return;
      }
      Table t = new Table("NAME", "REPOSITORY", "BRANCH", "STAGING", "PRODUCTION", "ID");
      all.forEach(
          p ->
              t.row(
                  text(p, "name"),
                  text(p, "repository_url"),
                  text(p, "branch"),
                  apps(p, "staging"),
                  apps(p, "production"),
                  text(p, "id")));
      if (t.isEmpty()) {
        println("No pipelines yet: create one with `slipway pipelines:create NAME --repo URL`.");
      } else {
        t.print(out());
      }
    }
  }

  /** A webhook secret as the forge's settings want it: 32 random bytes, URL-safe base64. */
  static String generateWebhookSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A command that sets a pipeline's webhook and tells the user what to paste into the forge. */
  abstract static class WebhookSetting extends ApiCommand {

    String webhookUrl(String pipelineName) {
      return api().endpoints().url(Service.BUILD) + "/webhooks/github/" + pipelineName;
    }

    /** Prints the webhook's URL and, when Slipway generated it, its secret (shown only now). */
    void printWebhook(String url, String generatedSecret) {
      println("Webhook URL:    " + url);
      println("                (content type application/json; events push and pull_request;");
      println(
          "                 GitLab: "
              + url.replace("/webhooks/github/", "/webhooks/gitlab/")
              + ")");
      if (generatedSecret != null) {
        println("Webhook secret: " + generatedSecret);
        println("                (shown once: paste it into the repository's webhook settings)");
      }
    }
  }

  /** {@code slipway pipelines:create}. */
  @Command(name = "pipelines:create", description = "Create a pipeline following a git repository.")
  public static class Create extends WebhookSetting {
    @Parameters(index = "0", paramLabel = "NAME", description = "3-30 lowercase letters, digits, -")
    String name;

    @Option(names = "--repo", required = true, paramLabel = "URL", description = "git repository")
    String repo;

    @Option(names = "--branch", paramLabel = "BRANCH", description = "default: main")
    String branch;

    @Option(names = "--staging", paramLabel = "APP", description = "staging app(s)")
    List<String> staging = new ArrayList<>();

    @Option(names = "--production", paramLabel = "APP", description = "production app(s)")
    List<String> production = new ArrayList<>();

    @Option(
        names = "--webhook-secret",
        paramLabel = "SECRET",
        description = "16-256 characters; default: a generated one, printed once")
    String webhookSecret;

    @Option(names = "--review-apps", description = "Create a review app for each pull request.")
    boolean reviewApps;

    @Override
    protected void run() {
      boolean generated = webhookSecret == null;
      if (generated) {
        webhookSecret = generateWebhookSecret();
      }
      JsonNode created = api().post(Service.PROMOTION, "/pipelines", body());
      String url = webhookUrl(text(created, "name"));
      if (json) {
        ObjectNode answer = ((ObjectNode) created).deepCopy();
        answer.put("webhook_url", url);
        if (generated) {
          answer.put("webhook_secret", webhookSecret);
        }
        printJson(answer);
        return;
      }
      println("Created pipeline " + text(created, "name") + " (" + text(created, "id") + ")");
      printWebhook(url, generated ? webhookSecret : null);
    }

    ObjectNode body() {
      ObjectNode body = ApiClient.JSON.createObjectNode();
      body.put("name", name).put("repository_url", repo);
      if (branch != null) {
        body.put("branch", branch);
      }
      if (webhookSecret != null) {
        body.put("webhook_secret", webhookSecret);
      }
      ArrayNode couplings = body.putArray("couplings");
      staging.forEach(a -> couplings.addObject().put("stage", "staging").put("app_name", a));
      production.forEach(a -> couplings.addObject().put("stage", "production").put("app_name", a));
      if (reviewApps) {
        body.putObject("review_apps").put("enabled", true);
      }
      return body;
    }
  }

  /** {@code slipway pipelines:update}. */
  @Command(
      name = "pipelines:update",
      description = "Change a pipeline's settings (admin): today its webhook secret.")
  public static class Update extends WebhookSetting {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "name or id")
    String pipeline;

    @Option(
        names = "--webhook-secret",
        arity = "0..1",
        fallbackValue = "",
        paramLabel = "SECRET",
        description = "16-256 characters; without a value a generated one, printed once")
    String webhookSecret;

    @Override
    protected void run() {
      if (webhookSecret == null) {
        throw new CliException("nothing to change: give --webhook-secret");
      }
      boolean generated = webhookSecret.isEmpty();
      String secret = generated ? generateWebhookSecret() : webhookSecret;
      JsonNode p = pipeline(pipeline);
      JsonNode updated =
          api()
              .patch(
                  Service.PROMOTION,
                  "/pipelines/" + text(p, "id"),
                  ApiClient.JSON.createObjectNode().put("webhook_secret", secret));
      if (json) {
        printJson(updated);
        return;
      }
      println("Updated pipeline " + text(updated, "name"));
      printWebhook(webhookUrl(text(updated, "name")), generated ? secret : null);
    }
  }

  /** {@code slipway pipelines:info}. */
  @Command(name = "pipelines:info", description = "Show a pipeline and what runs in each stage.")
  public static class Info extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "name or id")
    String pipeline;

    @Override
    protected void run() {
      JsonNode p = pipeline(pipeline);
      JsonNode overview = api().get(Service.PROMOTION, "/pipelines/" + text(p, "id") + "/overview");
      if (json) {
        ObjectNode both = ApiClient.JSON.createObjectNode();
        both.set("pipeline", p);
        both.set("overview", overview);
        printJson(both);
        return;
      }
      println("=== " + text(p, "name"));
      println("id:          " + text(p, "id"));
      println("repository:  " + text(p, "repository_url") + " (" + text(p, "forge") + ")");
      println("branch:      " + text(p, "branch"));
      println(
          "auto-deploy: "
              + p.path("auto_deploy").path("enabled").asBoolean()
              + ", review apps: "
              + p.path("review_apps").path("enabled").asBoolean()
              + ", webhook secret set: "
              + p.path("webhook_secret_set").asBoolean());
      println("");
      Table t = new Table("STAGE", "APP", "RELEASE", "COMMIT", "TESTS");
      for (JsonNode stage : overview.path("stages")) {
        for (JsonNode app : stage.path("apps")) {
          JsonNode rel = app.path("current_release");
          JsonNode run = app.path("test_run");
          t.row(
              text(stage, "stage"),
              text(app, "app_name"),
              rel.isObject() ? "v" + rel.path("version").asInt() : "none",
              sha(text(rel, "commit_sha")),
              run.isObject() ? "#" + run.path("number").asInt() + " " + text(run, "status") : "");
        }
      }
      for (JsonNode review : overview.path("review_apps")) {
        t.row("review", text(review, "app_name"), text(review, "status"), "", text(review, "url"));
      }
      if (t.isEmpty()) {
        println("No apps coupled yet.");
      } else {
        t.print(out());
      }
    }
  }

  /** {@code slipway pipelines:destroy}. */
  @Command(name = "pipelines:destroy", description = "Delete a pipeline (its apps stay).")
  public static class Destroy extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "name or id")
    String pipeline;

    @Override
    protected void run() {
      JsonNode p = pipeline(pipeline);
      api().delete(Service.PROMOTION, "/pipelines/" + text(p, "id"));
      println("Destroyed pipeline " + text(p, "name"));
    }
  }

  /** {@code slipway pipelines:promote}. */
  @Command(
      name = "pipelines:promote",
      description = "Promote a stage's current release to the next stage: the same artifact.")
  public static class Promote extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "name or id")
    String pipeline;

    @Option(names = "--from", paramLabel = "STAGE", description = "default: staging")
    String from = "staging";

    @Option(names = "--to", paramLabel = "APP", description = "target app(s); default: next stage")
    List<String> targets = new ArrayList<>();

    @Option(names = "--no-wait", description = "Return once the promotion is requested.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "default: 300")
    int timeoutSeconds = 300;

    @Override
    protected void run() {
      JsonNode p = pipeline(pipeline);
      String source = apps(p, from);
      if (source.isEmpty()) {
        throw new CliException("pipeline " + text(p, "name") + " has no " + from + " app");
      }
      String sourceApp = source.split(",")[0];
      ObjectNode body = ApiClient.JSON.createObjectNode();
      body.putObject("source").put("app", sourceApp);
      if (!targets.isEmpty()) {
        ArrayNode t = body.putArray("targets");
        targets.forEach(t::add);
      }
      JsonNode promotion =
          api().post(Service.PROMOTION, "/pipelines/" + text(p, "id") + "/promotions", body);
      if (!noWait) {
        promotion = await(api(), text(promotion, "id"), Duration.ofSeconds(timeoutSeconds));
      }
      if (json) {
        printJson(promotion);
        return;
      }
      describe(promotion);
      if (Statuses.is(promotion, PromotionStatus.COMPLETED)) {
        for (JsonNode target : promotion.path("targets")) {
          if (!Statuses.is(target, PromotionTargetStatus.SUCCEEDED)) {
            throw new CliException(
                "promotion to " + text(target, "app") + " failed: " + text(target, "error"));
          }
        }
      }
    }

    private void describe(JsonNode promotion) {
      JsonNode source = promotion.path("source");
      println(
          "Promoting "
              + text(source, "app")
              + " "
              + text(source, "release")
              + " ("
              + text(promotion, "artifact_digest")
              + ") - "
              + text(promotion, "status"));
      Table t = new Table("TARGET", "STATUS", "ERROR");
      promotion
          .path("targets")
          .forEach(x -> t.row(text(x, "app"), text(x, "status"), text(x, "error")));
      t.print(out());
      for (JsonNode gate : promotion.path("gates")) {
        if (!gate.path("passed").asBoolean()) {
          println("waiting on " + text(gate, "gate") + ": " + text(gate, "reason"));
        }
      }
    }
  }

  /** Polls a promotion until it completes or {@code timeout} passes; answers its last state. */
  public static JsonNode await(ApiClient api, String promotionId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode promotion = api.get(Service.PROMOTION, "/promotions/" + promotionId);
    while (!Statuses.is(promotion, PromotionStatus.COMPLETED) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted");
      }
      promotion = api.get(Service.PROMOTION, "/promotions/" + promotionId);
    }
    return promotion;
  }
}
