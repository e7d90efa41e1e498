package dev.slipway.cli.up;

import dev.slipway.cli.config.DataDir;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slipway down}: asks the running {@code up} to stop everything, and kills whatever a
 * crashed {@code up} left behind.
 */
@Command(name = "down", description = "Stop what `slipway up` started.")
public class DownCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The installation's data directory (default: SLIPWAY_DATA_DIR or ~/.slipway).")
  Path dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = DataDir.resolve(dataDir, System::getenv);
    RunFiles run = new RunFiles(dir);
    Optional<ProcessHandle> up = run.up().flatMap(RunFiles.Child::handle);
    if (up.isPresent()) {
      out.println("Stopping slipway (pid " + up.get().pid() + ")…");
      out.flush();
      run.requestStop();
      if (!waitFor(up.get(), Duration.ofSeconds(120))) {
        // A graceful stop request went unanswered: the shutdown hook still stops things in order.
        up.get().destroy();
        if (!waitFor(up.get(), Duration.ofSeconds(60))) {
          up.get().destroyForcibly();
        }
      }
    } else {
      out.println("slipway is not running from " + dir);
    }
    int killed =
        run.stopLeftovers(
            Duration.ofSeconds(5),
            line -> {
              out.println(line);
              out.flush();
            });
    run.clear();
    out.println(killed == 0 ? "Stopped." : "Stopped (" + killed + " leftover processes).");
    out.flush();
    return 0;
  }

  private static boolean waitFor(ProcessHandle h, Duration timeout) {
    try {
      h.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !h.isAlive();
    }
  }
}
