package dev.slipway.cli.up;

import dev.slipway.cli.CliException;
import dev.slipway.cli.config.DataDir;
import dev.slipway.cli.config.Installation;
import dev.slipway.cli.config.Service;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway up}: the whole platform on this machine, in the foreground until stopped. */
@Command(
    name = "up",
    description =
        "Start Kafka, PostgreSQL and the four services on this machine and keep them running"
            + " until Ctrl-C or `slipway down`.")
public class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where state lives (default: SLIPWAY_DATA_DIR or ~/.slipway).")
  Path dataDir;

  @Option(
      names = "--ports",
      paramLabel = "BASE",
      description =
          "Services on BASE..BASE+3, router BASE+4, Kafka BASE+10, PostgreSQL BASE+11"
              + " (default: 8081, router 5000; remembered in the data directory).")
  Integer basePort;

  @Option(
      names = "--services-dir",
      paramLabel = "DIR",
      description = "The Slipway checkout whose built service jars to run (default: this CLI's).")
  Path servicesDir;

  @Option(
      names = "--restart-unready-after",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Restart a service whose readiness check has failed for this long without a break"
              + " (default: ${DEFAULT-VALUE}).")
  int restartUnreadyAfter;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = DataDir.resolve(dataDir, System::getenv);
    RunFiles run = new RunFiles(dir);
    run.up()
        .ifPresent(
            c -> {
              throw new CliException(
                  "slipway is already running from "
                      + dir
                      + " (pid "
                      + c.pid()
                      + "): run `slipway down` first");
            });
    // An `up` that was killed (SIGKILL, a crash) left its services, Kafka and PostgreSQL running.
    int leftovers =
        run.stopLeftovers(
            Duration.ofSeconds(5),
            line -> {
              out.println(line + " of a slipway up that did not stop cleanly");
              out.flush();
            });
    if (leftovers > 0) {
      run.clear();
    }
    Installation installation = Installation.loadOrCreate(dir);
    PortPlan ports =
        basePort != null
            ? PortPlan.of(basePort)
            : new PortPlan(
                installation.basePort().orElse(Service.DEFAULT_BASE_PORT),
                installation.routerPort().orElse(PortPlan.DEFAULT_ROUTER_PORT));
    PortCheck.requireFree(ports.all());
    installation.setPorts(ports.base(), ports.router());
    installation.save();
    run.clearStopRequest();
    run.writeUp(ProcessHandle.current());

    Stack stack = new Stack(dir, servicesDir(), ports, installation, out);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "slipway-down"));
    out.println("Slipway data directory: " + dir);
    out.flush();
    try {
      stack.start();
    } catch (RuntimeException e) {
      stack.stop();
      throw e;
    }
    stack.summary().forEach(out::println);
    out.println("admin token in " + dir.resolve(Installation.FILE));
    out.println("ready: press Ctrl-C or run `slipway down` to stop");
    out.flush();
    stack.supervise(Duration.ofSeconds(Math.max(1, restartUnreadyAfter)));
    try {
      run.awaitStopRequest(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stack.stop();
    return 0;
  }

  private Path servicesDir() {
    return Checkout.locate(servicesDir);
  }
}
