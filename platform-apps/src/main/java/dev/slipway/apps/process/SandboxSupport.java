package dev.slipway.apps.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether user code can be sandboxed on this machine: bubblewrap is installed and a trial run of a
 * real sandbox succeeds. Checked once per JVM; callers refuse untrusted (fork) code and warn when
 * it is not.
 *
 * @param description e.g. {@code bubblewrap 0.8.0, user code as uid 65534, cgroup limits}
 * @param problem why not, when not available
 */
public record SandboxSupport(boolean available, String description, String problem) {

  /** The one command that makes the sandbox available on Debian and Ubuntu. */
  public static final String INSTALL = "sudo apt-get install bubblewrap";

  private static volatile SandboxSupport current;

  /** This machine's answer, found by a trial run on first use. */
  public static SandboxSupport current() {
    SandboxSupport known = current;
    if (known == null) {
      synchronized (SandboxSupport.class) {
        if (current == null) {
          current = check(host());
        }
        known = current;
      }
    }
    return known;
  }

  /** The host found at the check; package-private for {@link ChildProcesses}. */
  static SandboxHost host() {
    return Holder.HOST;
  }

  /** Tries a real sandbox (no cgroup) running {@code true} in a throw-away workspace. */
  static SandboxSupport check(SandboxHost host) {
    if (host.bwrap() == null) {
      return unavailable("bubblewrap (bwrap) is not installed");
    }
    if (host.root() && host.setpriv() == null) {
      return unavailable("setpriv (util-linux) is missing: cannot drop root for user code");
    }
    Path workspace = null;
    try {
      workspace = Files.createTempDirectory("slipway-sandbox-check");
      Sandbox sandbox = Sandbox.writing(workspace).withOwnNetwork();
      List<String> argv =
          BubblewrapCommand.argv(
              host, sandbox, List.of(), workspace, List.of("/bin/sh", "-c", "exit 0"));
      ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(Map.of("PATH", ChildProcesses.DEFAULT_PATH));
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process trial = builder.start();
      String output = new String(trial.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!trial.waitFor(20, TimeUnit.SECONDS)) {
        trial.destroyForcibly();
        return unavailable("a trial run of bubblewrap did not finish");
      }
      if (trial.exitValue() != 0) {
        return unavailable(
            "a trial run of bubblewrap failed (exit "
                + trial.exitValue()
                + "): "
                + output.strip()
                + (host.root() ? "" : "; unprivileged user namespaces may be disabled"));
      }
      return new SandboxSupport(
          true,
          version(host.bwrap())
              + (host.root() ? ", user code as uid " + SandboxHost.SANDBOX_UID : ", user namespace")
              + (SandboxCgroup.supported() ? ", cgroup limits" : ", rlimit limits"),
          null);
    } catch (IOException e) {
      return unavailable("a trial run of bubblewrap could not start: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("interrupted while trying bubblewrap");
    } finally {
      if (workspace != null) {
        try {
          Files.deleteIfExists(workspace);
        } catch (IOException e) {
          // A leftover empty temp directory is harmless.
        }
      }
    }
  }

  /** One line for startup output: {@code sandbox: on (...)} or the warning with the fix. */
  public String summary() {
    return available
        ? "sandbox: on (" + description + ")"
        : "sandbox: OFF: "
            + problem
            + ". User code runs unsandboxed and fork pull requests are refused. Install it: "
            + INSTALL;
  }

  /** Why fork pull-request code is refused here. */
  public String refusal() {
    return "fork pull-request code runs only in the sandbox, which is unavailable here: "
        + problem
        + " (install it: "
        + INSTALL
        + ")";
  }

  private static SandboxSupport unavailable(String problem) {
    return new SandboxSupport(false, null, problem);
  }

  private static String version(Path bwrap) {
    try {
      Process p =
          new ProcessBuilder(bwrap.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(5, TimeUnit.SECONDS);
      return out.isEmpty() ? "bubblewrap" : out;
    } catch (IOException e) {
      return "bubblewrap";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "bubblewrap";
    }
  }

  private static final class Holder {
    static final SandboxHost HOST = SandboxHost.detect();
  }
}
