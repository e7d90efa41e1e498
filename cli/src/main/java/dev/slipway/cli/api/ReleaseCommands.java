package dev.slipway.cli.api;

import static dev.slipway.cli.output.Fields.shortId;
import static dev.slipway.cli.output.Fields.text;
import static dev.slipway.cli.output.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.cli.CliException;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code releases}, {@code releases:rollback} (deploy-service). */
public final class ReleaseCommands {

  private ReleaseCommands() {}

  /** {@code v7} or {@code 7} as {@code v7}; anything else is refused before calling the API. */
  static String version(String text) {
    if (!text.matches("v?[1-9][0-9]{0,8}")) {
      throw new CliException("not a release version: " + text + " (expected e.g. v7)");
    }
    return text.startsWith("v") ? text : "v" + text;
  }

  /** {@code slipway releases}. */
  @Command(name = "releases", description = "List an app's releases, newest first.")
  public static class ListReleases extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Override
    protected void run() {
      JsonNode releases = api().get(Service.DEPLOY, "/apps/" + enc(app) + "/releases");
      if (json) {
        printJson(releases);
        return;
      }
      Table t = new Table("", "VERSION", "STATUS", "DESCRIPTION", "BY", "CREATED", "ARTIFACT");
      releases.forEach(
          r ->
              t.row(
                  r.path("current").asBoolean() ? "*" : "",
                  "v" + r.path("version").asInt(),
                  text(r, "status"),
                  text(r, "description"),
                  text(r, "created_by"),
                  time(text(r, "created_at")),
                  shortDigest(text(r, "artifact_digest"))));
      if (t.isEmpty()) {
        println(app + " has no releases yet.");
      } else {
        t.print(out());
      }
    }
  }

  static String shortDigest(String digest) {
    if (digest == null) {
      return null;
    }
    return digest.startsWith("sha256:") ? "sha256:" + shortId(digest.substring(7)) : digest;
  }

  /** {@code slipway releases:rollback}. */
  @Command(
      name = "releases:rollback",
      description = "Make a new release with an earlier release's artifact and config.")
  public static class Rollback extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION", description = "e.g. v7")
    String version;

    @Override
    protected void run() {
      JsonNode r =
          api()
              .post(
                  Service.DEPLOY,
                  "/apps/" + enc(app) + "/releases",
                  Map.of("rollback_to", version(version)));
      if (json) {
        printJson(r);
        return;
      }
      println(
          "Rolling back "
              + app
              + " to "
              + version(version)
              + ": release v"
              + r.path("version").asInt()
              + " is "
              + text(r, "status"));
    }
  }
}
