package dev.slipway.cli.api;

import static dev.slipway.cli.output.Fields.text;
import static dev.slipway.cli.output.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.http.ApiClient;
import dev.slipway.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reviewapps}, {@code reviewapps:create|destroy|approve} (deploy-service). */
public final class ReviewAppCommands {

  private ReviewAppCommands() {}

  /** {@code slipway reviewapps}. */
  @Command(name = "reviewapps", description = "List a pipeline's review apps.")
  public static class ListReviewApps extends ApiCommand {
    @Option(
        names = {"-p", "--pipeline"},
        required = true,
        paramLabel = "PIPELINE",
        description = "name or id")
    String pipeline;

    @Override
    protected void run() {
      JsonNode apps =
          api().get(Service.DEPLOY, "/pipelines/" + pipelineId(pipeline) + "/review-apps");
      if (json) {
        printJson(apps);
        return;
      }
      Table t = new Table("PR", "BRANCH", "APP", "STATUS", "URL", "CREATED", "ID");
      apps.forEach(
          a ->
              t.row(
                  text(a, "pr_number"),
                  text(a, "branch"),
                  firstNonNull(text(a, "app_name"), text(a, "app")),
                  text(a, "status"),
                  text(a, "url"),
                  time(text(a, "created_at")),
                  text(a, "id")));
      if (t.isEmpty()) {
        println("No review apps.");
      } else {
        t.print(out());
      }
    }
  }

  static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  /** {@code slipway reviewapps:create}. */
  @Command(name = "reviewapps:create", description = "Create a review app for a branch's PR.")
  public static class Create extends ApiCommand {
    @Option(
        names = {"-p", "--pipeline"},
        required = true,
        paramLabel = "PIPELINE",
        description = "name or id")
    String pipeline;

    @Option(names = "--branch", required = true, paramLabel = "BRANCH")
    String branch;

    @Option(names = "--pr", required = true, paramLabel = "NUMBER")
    int pr;

    @Override
    protected void run() {
      ObjectNode body =
          ApiClient.JSON.createObjectNode().put("branch", branch).put("pr_number", pr);
      JsonNode app =
          api().post(Service.DEPLOY, "/pipelines/" + pipelineId(pipeline) + "/review-apps", body);
      if (json) {
        printJson(app);
        return;
      }
      println(
          "Creating review app "
              + firstNonNull(text(app, "app_name"), text(app, "app"))
              + " for PR #"
              + pr
              + " ("
              + text(app, "id")
              + ")");
    }
  }

  /** {@code slipway reviewapps:destroy}. */
  @Command(name = "reviewapps:destroy", description = "Destroy a review app.")
  public static class Destroy extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    protected void run() {
      api().delete(Service.DEPLOY, "/review-apps/" + enc(id));
      println("Destroying review app " + id);
    }
  }

  /** {@code slipway reviewapps:approve}. */
  @Command(
      name = "reviewapps:approve",
      description = "Approve a review app waiting for approval (e.g. a fork's PR).")
  public static class Approve extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    protected void run() {
      JsonNode app = api().post(Service.DEPLOY, "/review-apps/" + enc(id) + "/approve", Map.of());
      if (json) {
        printJson(app);
        return;
      }
      println(
          "Approved review app "
              + id
              + (app.hasNonNull("status") ? ": " + text(app, "status") : ""));
    }
  }
}
