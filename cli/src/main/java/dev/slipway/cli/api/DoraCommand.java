package dev.slipway.cli.api;

import static dev.slipway.cli.output.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.output.Fields;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dora}: the four DORA keys of a pipeline's production apps (promotion-service). */
@Command(name = "dora", description = "Show a pipeline's DORA metrics.")
public class DoraCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "PIPELINE", description = "name or id")
  String pipeline;

  @Option(names = "--window", paramLabel = "WINDOW", description = "e.g. 7d, 12h (default 30d)")
  String window = "30d";

  @Override
  protected void run() {
    String id = pipelineId(pipeline);
    JsonNode m =
        api().get(Service.PROMOTION, "/pipelines/" + id + "/metrics/dora?window=" + enc(window));
    if (json) {
      printJson(m);
      return;
    }
    println("=== DORA metrics of " + pipeline + " over " + text(m, "window"));
    JsonNode df = m.path("deployment_frequency");
    println(
        "deployment frequency:   "
            + df.path("deployments").asInt()
            + " deployments ("
            + number(df.path("per_day"))
            + " per day)");
    JsonNode lt = m.path("lead_time_for_changes");
    println(
        "lead time for changes:  " + median(lt) + " (" + lt.path("samples").asInt() + " samples)");
    JsonNode cfr = m.path("change_failure_rate");
    println(
        "change failure rate:    "
            + percent(cfr.path("rate"))
            + " ("
            + cfr.path("failures").asInt()
            + " of "
            + cfr.path("releases").asInt()
            + " releases)");
    JsonNode ttr = m.path("time_to_restore");
    println(
        "time to restore:        "
            + median(ttr)
            + " ("
            + ttr.path("samples").asInt()
            + " samples)");
    JsonNode rework = m.path("deployment_rework_rate");
    println(
        "deployment rework rate: "
            + percent(rework.path("rate"))
            + " ("
            + rework.path("rework").asInt()
            + " of "
            + rework.path("deployments").asInt()
            + ")");
  }

  static String median(JsonNode key) {
    JsonNode s = key.path("median_seconds");
    return s.isNumber() ? Fields.human(Duration.ofMillis((long) (s.asDouble() * 1000))) : "n/a";
  }

  static String percent(JsonNode rate) {
    return rate.isNumber() ? String.format("%.0f%%", rate.asDouble() * 100) : "n/a";
  }

  static String number(JsonNode n) {
    return n.isNumber() ? String.format("%.2f", n.asDouble()) : "n/a";
  }
}
