package dev.slipway.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.cli.CliException;
import dev.slipway.cli.config.DataDir;
import dev.slipway.cli.config.Endpoints;
import dev.slipway.cli.config.Service;
import dev.slipway.cli.http.ApiClient;
import dev.slipway.cli.http.ApiException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every API command shares: where the services are, the token, and {@code --json}. */
public abstract class ApiCommand implements Callable<Integer> {

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  @Spec protected CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  protected boolean json;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "One URL serving every service's API (default: SLIPWAY_<SERVICE>_URL, SLIPWAY_URL, or"
              + " the ports `slipway up` used).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "API token (default: SLIPWAY_TOKEN, or the admin token `slipway up` made).")
  String token;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The installation's data directory (default: SLIPWAY_DATA_DIR or ~/.slipway).")
  Path dataDir;

  private ApiClient client;

  @Override
  public final Integer call() {
    run();
    return 0;
  }

  protected abstract void run();

  /** The data directory this command talks about ({@code --data-dir}, env, or the default). */
  protected Path dataDirectory() {
    return DataDir.resolve(dataDir, System::getenv);
  }

  /** Whether the user named the services explicitly instead of the local installation's. */
  protected boolean remote() {
    return url != null || System.getenv("SLIPWAY_URL") != null;
  }

  protected ApiClient api() {
    if (client == null) {
      Path dir = DataDir.resolve(dataDir, System::getenv);
      client = new ApiClient(Endpoints.resolve(url, token, dir, System::getenv));
    }
    return client;
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected void println(String line) {
    out().println(line);
    out().flush();
  }

  /** Prints the node as indented JSON. */
  protected void printJson(JsonNode node) {
    try {
      println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print JSON: " + e.getMessage());
    }
  }

  /** A pipeline by id or name; promotion-service addresses pipelines by id only. */
  protected JsonNode pipeline(String idOrName) {
    if (UUID.matcher(idOrName).matches()) {
      return api().get(Service.PROMOTION, "/pipelines/" + idOrName);
    }
    for (JsonNode p : api().get(Service.PROMOTION, "/pipelines")) {
      if (idOrName.equals(p.path("name").asText())) {
        return p;
      }
    }
    throw new ApiException(404, "no pipeline " + idOrName);
  }

  protected String pipelineId(String idOrName) {
    return pipeline(idOrName).path("id").asText();
  }

  protected static boolean isUuid(String s) {
    return UUID.matcher(s).matches();
  }

  protected static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
