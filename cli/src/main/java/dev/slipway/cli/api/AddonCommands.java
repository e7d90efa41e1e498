package dev.slipway.cli.api;

import static dev.slipway.cli.output.Fields.text;
import static dev.slipway.cli.output.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code addons}, {@code addons:create}, {@code addons:destroy} (deploy-service), as Heroku's. */
public final class AddonCommands {

  private AddonCommands() {}

  /** Heroku's {@code -a/--app}: the app an add-on command is about. */
  public static class AppOption {
    @Option(
        names = {"-a", "--app"},
        required = true,
        paramLabel = "APP",
        description = "the app")
    String app;
  }

  /** {@code slipway addons -a APP}. */
  @Command(name = "addons", description = "List an app's add-ons.")
  public static class ListAddons extends ApiCommand {
    @Mixin AppOption target;

    @Override
    protected void run() {
      JsonNode addons = api().get(Service.DEPLOY, "/apps/" + enc(target.app) + "/addons");
      if (json) {
        printJson(addons);
        return;
      }
      Table t = new Table("NAME", "PLAN", "AS", "CREATED");
      addons.forEach(
          a ->
              t.row(
                  text(a, "name"),
                  text(a, "plan"),
                  text(a, "config_var"),
                  time(text(a, "created_at"))));
      if (t.isEmpty()) {
        println(target.app + " has no add-ons.");
      } else {
        t.print(out());
      }
    }
  }

  /** {@code slipway addons:create PLAN -a APP}. */
  @Command(
      name = "addons:create",
      description =
          "Provision an add-on (heroku-postgresql): attached as DATABASE_URL in a new release.")
  public static class Create extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PLAN", description = "heroku-postgresql[:plan]")
    String plan;

    @Mixin AppOption target;

    @Override
    protected void run() {
      JsonNode a =
          api().post(Service.DEPLOY, "/apps/" + enc(target.app) + "/addons", Map.of("plan", plan));
      if (json) {
        printJson(a);
        return;
      }
      println("Creating " + plan + " on " + target.app + "... done");
      println("Created " + text(a, "name") + " as " + text(a, "config_var"));
      if (a.hasNonNull("release")) {
        println("Release v" + a.path("release").asInt() + " attaches it");
      }
    }
  }

  /** {@code slipway addons:destroy NAME -a APP}. */
  @Command(
      name = "addons:destroy",
      description = "Destroy an add-on: detached in a new release, then its database dropped.")
  public static class Destroy extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "e.g. postgresql-flat-04217")
    String name;

    @Mixin AppOption target;

    @Override
    protected void run() {
      api().delete(Service.DEPLOY, "/apps/" + enc(target.app) + "/addons/" + enc(name));
      println("Destroying " + name + " on " + target.app + "... done");
    }
  }
}
