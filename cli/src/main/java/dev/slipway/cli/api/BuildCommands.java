package dev.slipway.cli.api;

import static dev.slipway.cli.output.Fields.duration;
import static dev.slipway.cli.output.Fields.sha;
import static dev.slipway.cli.output.Fields.shortId;
import static dev.slipway.cli.output.Fields.text;
import static dev.slipway.cli.output.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code builds}, {@code builds:info}, {@code builds:cancel} (build-service). */
public final class BuildCommands {

  private BuildCommands() {}

  /** {@code slipway builds}. */
  @Command(name = "builds", description = "List builds, newest first.")
  public static class ListBuilds extends ApiCommand {
    @Option(
        names = {"-p", "--pipeline"},
        paramLabel = "PIPELINE",
        description = "name or id")
    String pipeline;

    @Option(names = "--limit", paramLabel = "N", description = "default: 20")
    int limit = 20;

    @Override
    protected void run() {
      String query = "?per_page=" + limit;
      if (pipeline != null) {
        query += "&pipeline=" + pipelineId(pipeline);
      }
      JsonNode builds = api().get(Service.BUILD, "/builds" + query);
      if (json) {
        printJson(builds);
        return;
      }
      Table t = new Table("ID", "STATUS", "BRANCH", "COMMIT", "TRIGGER", "CREATED", "TOOK");
      builds.forEach(
          b ->
              t.row(
                  shortId(text(b, "id")),
                  text(b, "status"),
                  b.hasNonNull("pr_number")
                      ? text(b, "branch") + " (PR #" + text(b, "pr_number") + ")"
                      : text(b, "branch"),
                  sha(text(b, "commit_sha")),
                  text(b, "trigger"),
                  time(text(b, "created_at")),
                  duration(text(b, "started_at"), text(b, "finished_at"))));
      if (t.isEmpty()) {
        println("No builds.");
      } else {
        t.print(out());
      }
    }
  }

  /** {@code slipway builds:info}. */
  @Command(name = "builds:info", description = "Show a build and what it produced.")
  public static class Info extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    protected void run() {
      JsonNode b = api().get(Service.BUILD, "/builds/" + enc(id));
      if (json) {
        printJson(b);
        return;
      }
      println("=== build " + text(b, "id"));
      println(
          "status:    " + text(b, "status") + orEmpty(" (" + text(b, "error") + ")", b, "error"));
      println("commit:    " + text(b, "commit_sha") + " on " + text(b, "branch"));
      println("trigger:   " + text(b, "trigger") + " by " + text(b, "requested_by"));
      println("created:   " + time(text(b, "created_at")));
      println("took:      " + duration(text(b, "started_at"), text(b, "finished_at")));
      JsonNode artifact = b.path("artifact");
      if (artifact.isObject()) {
        println("artifact:  " + text(artifact, "digest"));
        artifact
            .path("process_types")
            .fields()
            .forEachRemaining(e -> println("  " + e.getKey() + ": " + e.getValue().asText()));
      }
    }

    private static String orEmpty(String s, JsonNode node, String field) {
      return node.hasNonNull(field) ? s : "";
    }
  }

  /** {@code slipway builds:cancel}. */
  @Command(name = "builds:cancel", description = "Cancel a queued or running build.")
  public static class Cancel extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    protected void run() {
      JsonNode b = api().post(Service.BUILD, "/builds/" + enc(id) + "/cancel", Map.of());
      if (json) {
        printJson(b);
        return;
      }
      println("Build " + text(b, "id") + ": " + text(b, "status"));
    }
  }
}
