package dev.slipway.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.cli.CliException;
import dev.slipway.cli.config.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code config}, {@code config:set}, {@code config:unset} (deploy-service). */
public final class ConfigCommands {

  private ConfigCommands() {}

  /** {@code K=V} pairs as a map; the value may hold '=' and be empty, the name may not. */
  static Map<String, String> pairs(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new CliException("expected NAME=value, got: " + arg);
      }
      out.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return out;
  }

  static void printVars(ApiCommand cmd, String app, JsonNode vars) {
    if (cmd.json) {
      cmd.printJson(vars);
      return;
    }
    cmd.println("=== " + app + " config vars");
    int width = 0;
    for (var it = vars.fieldNames(); it.hasNext(); ) {
      width = Math.max(width, it.next().length());
    }
    int w = width;
    vars.fields()
        .forEachRemaining(
            e ->
                cmd.println(
                    e.getKey()
                        + ":"
                        + " ".repeat(w - e.getKey().length() + 1)
                        + e.getValue().asText()));
  }

  /** {@code slipway config}. */
  @Command(name = "config", description = "Show an app's config vars.")
  public static class Show extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = "--reveal", description = "Show secret values too (admin token).")
    boolean reveal;

    @Override
    protected void run() {
      printVars(
          this,
          app,
          api()
              .get(
                  Service.DEPLOY,
                  "/apps/" + enc(app) + "/config-vars" + (reveal ? "?reveal=true" : "")));
    }
  }

  /** {@code slipway config:set}. */
  @Command(name = "config:set", description = "Set config vars; makes a new release.")
  public static class Set extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME=value")
    List<String> assignments = new ArrayList<>();

    @Override
    protected void run() {
      printVars(
          this,
          app,
          api().patch(Service.DEPLOY, "/apps/" + enc(app) + "/config-vars", pairs(assignments)));
    }
  }

  /** {@code slipway config:unset}. */
  @Command(name = "config:unset", description = "Unset config vars; makes a new release.")
  public static class Unset extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    @Override
    protected void run() {
      Map<String, String> changes = new LinkedHashMap<>();
      names.forEach(n -> changes.put(n, null));
      printVars(
          this, app, api().patch(Service.DEPLOY, "/apps/" + enc(app) + "/config-vars", changes));
    }
  }
}
