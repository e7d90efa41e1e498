package dev.slipway.cli.api;

import static dev.slipway.cli.output.Fields.duration;
import static dev.slipway.cli.output.Fields.sha;
import static dev.slipway.cli.output.Fields.text;
import static dev.slipway.cli.output.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.cli.CliException;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.http.ApiClient;
import dev.slipway.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ci}, {@code ci:info}, {@code ci:rerun}: Heroku CI test runs (test-service). */
public final class CiCommands {

  private CiCommands() {}

  static String counts(JsonNode run) {
    JsonNode c = run.path("counts");
    if (!c.isObject()) {
      return null;
    }
    return c.path("passed").asInt()
        + " passed, "
        + c.path("failed").asInt()
        + " failed, "
        + c.path("skipped").asInt()
        + " skipped";
  }

  /** A run by UUID, or by its number within {@code pipeline}. */
  static JsonNode find(ApiCommand cmd, String ref, String pipeline) {
    if (ApiCommand.isUuid(ref)) {
      return cmd.api().get(Service.TEST, "/test-runs/" + ref);
    }
    String number = ref.startsWith("#") ? ref.substring(1) : ref;
    if (pipeline == null || !number.matches("[0-9]+")) {
      throw new CliException("give a test run id, or its number with --pipeline");
    }
    for (JsonNode run :
        cmd.api()
            .get(
                Service.TEST,
                "/pipelines/" + ApiCommand.enc(pipeline) + "/test-runs?per_page=500")) {
      if (number.equals(run.path("number").asText())) {
        return run;
      }
    }
    throw new CliException("pipeline " + pipeline + " has no test run #" + number);
  }

  /** {@code slipway ci}. */
  @Command(name = "ci", description = "List a pipeline's test runs, newest first.")
  public static class ListRuns extends ApiCommand {
    @Option(
        names = {"-p", "--pipeline"},
        required = true,
        paramLabel = "PIPELINE",
        description = "name or id")
    String pipeline;

    @Option(names = "--limit", paramLabel = "N", description = "default: 20")
    int limit = 20;

    @Override
    protected void run() {
      JsonNode runs =
          api().get(Service.TEST, "/pipelines/" + enc(pipeline) + "/test-runs?per_page=" + limit);
      if (json) {
        printJson(runs);
        return;
      }
      Table t = new Table("#", "STATUS", "BRANCH", "COMMIT", "RESULTS", "CREATED", "TOOK");
      runs.forEach(
          r ->
              t.row(
                  r.path("number").asInt(),
                  text(r, "status"),
                  text(r, "branch"),
                  sha(text(r, "commit_sha")),
                  counts(r),
                  time(text(r, "created_at")),
                  duration(text(r, "started_at"), text(r, "finished_at"))));
      if (t.isEmpty()) {
        println("No test runs.");
      } else {
        t.print(out());
      }
    }
  }

  /** {@code slipway ci:info}. */
  @Command(name = "ci:info", description = "Show a test run, its nodes and failed tests.")
  public static class Info extends ApiCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "id, or number with --pipeline")
    String run;

    @Option(
        names = {"-p", "--pipeline"},
        paramLabel = "PIPELINE",
        description = "name or id")
    String pipeline;

    @Override
    protected void run() {
      JsonNode r = find(this, run, pipeline);
      String id = text(r, "id");
      JsonNode nodes = api().get(Service.TEST, "/test-runs/" + id + "/nodes");
      JsonNode failed = api().get(Service.TEST, "/test-runs/" + id + "/test-cases?outcome=failed");
      if (json) {
        ObjectNode all = ApiClient.JSON.createObjectNode();
        all.set("test_run", r);
        all.set("nodes", nodes);
        all.set("failed_test_cases", failed);
        printJson(all);
        return;
      }
      println("=== test run #" + r.path("number").asInt() + " (" + id + ")");
      println(
          "status:  "
              + text(r, "status")
              + (r.hasNonNull("message") ? " - " + text(r, "message") : ""));
      println("commit:  " + text(r, "commit_sha") + " on " + text(r, "branch"));
      println("build:   " + text(r, "build_id"));
      println("results: " + (counts(r) == null ? "pending" : counts(r)));
      Table t = new Table("NODE", "STATUS", "EXIT", "TOOK", "MESSAGE");
      nodes.forEach(
          n ->
              t.row(
                  n.path("index").asInt(),
                  text(n, "status"),
                  text(n, "exit_code"),
                  n.hasNonNull("duration_ms") ? n.path("duration_ms").asLong() + "ms" : null,
                  text(n, "message")));
      if (!t.isEmpty()) {
        println("");
        t.print(out());
      }
      if (failed.size() > 0) {
        println("");
        println("failed tests:");
        failed.forEach(c -> println("  " + c.path("name").asText(c.toString())));
      }
    }
  }

  /** {@code slipway ci:rerun}. */
  @Command(name = "ci:rerun", description = "Run a test run's build through the tests again.")
  public static class Rerun extends ApiCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "id, or number with --pipeline")
    String run;

    @Option(
        names = {"-p", "--pipeline"},
        paramLabel = "PIPELINE",
        description = "name or id")
    String pipeline;

    @Override
    protected void run() {
      JsonNode r = find(this, run, pipeline);
      JsonNode again =
          api()
              .post(
                  Service.TEST,
                  "/pipelines/" + text(r, "pipeline_id") + "/test-runs",
                  Map.of("build_id", text(r, "build_id")));
      if (json) {
        printJson(again);
        return;
      }
      println(
          "Started test run #"
              + again.path("number").asInt()
              + " ("
              + text(again, "id")
              + ") of "
              + sha(text(again, "commit_sha")));
    }
  }
}
