package dev.slipway.cli.api;

import dev.slipway.cli.CliException;
import dev.slipway.cli.config.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code logs}: an app's, a build's or a test node's output, optionally followed live. */
@Command(
    name = "logs",
    description = "Show an app's logs, or a build's (--build) or test node's (--test-run).")
public class LogsCommand extends ApiCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "APP")
  String app;

  @Option(
      names = {"-t", "--tail"},
      description = "Keep following the log live.")
  boolean tail;

  @Option(
      names = {"-n", "--num"},
      paramLabel = "N",
      description = "app log lines (default 100)")
  int lines = 100;

  @Option(names = "--build", paramLabel = "ID", description = "a build's log")
  String build;

  @Option(names = "--test-run", paramLabel = "ID", description = "a test run's node output")
  String testRun;

  @Option(names = "--node", paramLabel = "N", description = "the test node (default 0)")
  int node;

  @Override
  protected void run() {
    Target target = target(app, build, testRun, node, lines);
    if (tail) {
      api()
          .follow(
              target.service(), target.path() + sep(target.path()) + "follow=true", this::println);
    } else {
      out().print(api().text(target.service(), target.path()));
      out().flush();
    }
  }

  /** Where a log lives. */
  record Target(Service service, String path) {}

  static Target target(String app, String build, String testRun, int node, int lines) {
    int given = (app != null ? 1 : 0) + (build != null ? 1 : 0) + (testRun != null ? 1 : 0);
    if (given != 1) {
      throw new CliException("give exactly one of APP, --build ID and --test-run ID");
    }
    if (build != null) {
      return new Target(Service.BUILD, "/builds/" + enc(build) + "/log");
    }
    if (testRun != null) {
      return new Target(Service.TEST, "/test-runs/" + enc(testRun) + "/nodes/" + node + "/output");
    }
    return new Target(Service.DEPLOY, "/apps/" + enc(app) + "/logs?tail=" + lines);
  }

  private static String sep(String path) {
    return path.contains("?") ? "&" : "?";
  }
}
