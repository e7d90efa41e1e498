package dev.slipway.cli;

import dev.slipway.cli.api.AddonCommands;
import dev.slipway.cli.api.BuildCommands;
import dev.slipway.cli.api.CiCommands;
import dev.slipway.cli.api.ConfigCommands;
import dev.slipway.cli.api.DoraCommand;
import dev.slipway.cli.api.LogsCommand;
import dev.slipway.cli.api.PipelineCommands;
import dev.slipway.cli.api.ReleaseCommands;
import dev.slipway.cli.api.ReviewAppCommands;
import dev.slipway.cli.demo.DemoCommand;
import dev.slipway.cli.up.DownCommand;
import dev.slipway.cli.up.UpCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code slipway} command: {@code up}, {@code down}, {@code demo} and the API commands. */
@Command(
    name = "slipway",
    mixinStandardHelpOptions = true,
    version = "slipway 0.1.0",
    description = "A self-hosted Heroku Flow: run it on this machine, drive it from here.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      DemoCommand.class,
      PipelineCommands.ListPipelines.class,
      PipelineCommands.Create.class,
      PipelineCommands.Update.class,
      PipelineCommands.Info.class,
      PipelineCommands.Destroy.class,
      PipelineCommands.Promote.class,
      BuildCommands.ListBuilds.class,
      BuildCommands.Info.class,
      BuildCommands.Cancel.class,
      CiCommands.ListRuns.class,
      CiCommands.Info.class,
      CiCommands.Rerun.class,
      ReviewAppCommands.ListReviewApps.class,
      ReviewAppCommands.Create.class,
      ReviewAppCommands.Destroy.class,
      ReviewAppCommands.Approve.class,
      ReleaseCommands.ListReleases.class,
      ReleaseCommands.Rollback.class,
      ConfigCommands.Show.class,
      ConfigCommands.Set.class,
      ConfigCommands.Unset.class,
      AddonCommands.ListAddons.class,
      AddonCommands.Create.class,
      AddonCommands.Destroy.class,
      LogsCommand.class,
      DoraCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Lets the demo reach <app>.localhost through the router by Host header (see DemoCommand).
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    System.exit(commandLine().execute(args));
  }

  /** The command line with errors shown as one message, never a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new Main());
    // Every command answers --help (and --version), not only the top-level one.
    cmd.getSubcommands().values().stream()
        .filter(sub -> sub.getCommandSpec().optionsMap().get("--help") == null)
        .forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
    cmd.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          PrintWriter err = line.getErr();
          if (e instanceof CliException) {
            err.println("error: " + e.getMessage());
          } else {
            err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          }
          if (System.getenv("SLIPWAY_DEBUG") != null) {
            e.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cmd;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
