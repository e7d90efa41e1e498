package dev.slipway.apps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sandbox command line and the limit verdicts, as pure rules. */
class BubblewrapCommandTest {

  private static final Map<String, String> TOP = new LinkedHashMap<>();

  static {
    TOP.put("/usr", null);
    TOP.put("/bin", "usr/bin");
  }

  private static SandboxHost host(boolean root) {
    return new SandboxHost(
        Path.of("/usr/bin/bwrap"),
        Path.of("/usr/bin/prlimit"),
        Path.of("/usr/bin/setpriv"),
        root,
        TOP,
        List.of(Path.of("/etc/resolv.conf")),
        List.of(Path.of("/opt/jdk")));
  }

  private static final Path WORK = Path.of("/var/lib/slipway/work/b1/app");
  private static final List<String> COMMAND = List.of("/usr/bin/bash", "-c", "make");

  private static boolean hasPair(List<String> argv, String flag, String value) {
    for (int i = 0; i + 1 < argv.size(); i++) {
      if (argv.get(i).equals(flag) && argv.get(i + 1).equals(value)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void asRootTheCommandDropsToNobodyWithoutCapabilities() {
    List<String> argv =
        BubblewrapCommand.argv(host(true), Sandbox.writing(WORK), List.of(), WORK, COMMAND);

    int setpriv = argv.indexOf("/usr/bin/setpriv");
    assertTrue(setpriv > argv.indexOf("/usr/bin/bwrap"), argv.toString());
    assertTrue(
        argv.subList(setpriv, argv.size())
            .containsAll(
                List.of(
                    "--reuid=65534",
                    "--regid=65534",
                    "--clear-groups",
                    "--no-new-privs",
                    "--bounding-set=-all")));
    assertEquals(COMMAND, argv.subList(argv.size() - 3, argv.size()));
    assertFalse(argv.contains("--unshare-user"));
  }

  @Test
  void unprivilegedItUsesAUserNamespaceWithoutNestedOnes() {
    List<String> argv =
        BubblewrapCommand.argv(host(false), Sandbox.writing(WORK), List.of(), WORK, COMMAND);

    assertTrue(argv.containsAll(List.of("--unshare-user", "--disable-userns")));
    assertFalse(argv.contains("/usr/bin/setpriv"));
  }

  @Test
  void namespacesSessionAndFreshProcDevTmp() {
    List<String> argv =
        BubblewrapCommand.argv(host(true), Sandbox.writing(WORK), List.of(), WORK, COMMAND);

    assertTrue(
        argv.containsAll(
            List.of(
                "--die-with-parent",
                "--new-session",
                "--unshare-pid",
                "--unshare-ipc",
                "--unshare-uts")));
    assertTrue(hasPair(argv, "--proc", "/proc"));
    assertTrue(hasPair(argv, "--dev", "/dev"));
    assertTrue(hasPair(argv, "--tmpfs", "/tmp"));
    assertTrue(
        hasPair(argv, "--size", Long.toString(SandboxLimits.defaults().diskBytes())),
        "the private /tmp is no bigger than the disk quota");
    assertFalse(argv.contains("--unshare-net"), "the host network unless asked");
    assertTrue(
        BubblewrapCommand.argv(
                host(true), Sandbox.writing(WORK).withOwnNetwork(), List.of(), WORK, COMMAND)
            .contains("--unshare-net"));
  }

  @Test
  void onlyTheSandboxPathsAreWritableAndSystemDirsReadOnly() {
    Path cache = Path.of("/var/lib/slipway/cache/p1");
    Path buildpacks = Path.of("/var/lib/slipway/buildpacks");
    Path socket = Path.of("/var/lib/slipway/postgres-socket");
    Sandbox sandbox =
        Sandbox.writing(WORK, cache).withReadOnly(List.of(buildpacks)).withSockets(List.of(socket));

    List<String> argv = BubblewrapCommand.argv(host(true), sandbox, List.of(), WORK, COMMAND);

    assertTrue(hasPair(argv, "--bind", WORK.toString()));
    assertTrue(hasPair(argv, "--bind", cache.toString()));
    assertTrue(hasPair(argv, "--ro-bind-try", buildpacks.toString()));
    assertTrue(hasPair(argv, "--ro-bind", socket.toString()));
    assertTrue(hasPair(argv, "--ro-bind", "/usr"));
    assertTrue(hasPair(argv, "--symlink", "usr/bin"));
    assertTrue(hasPair(argv, "--ro-bind-try", "/etc/resolv.conf"));
    assertTrue(hasPair(argv, "--ro-bind", "/opt/jdk"), "toolchains outside /usr, read-only");
    assertEquals(
        List.of("--bind", "--bind"),
        argv.stream().filter(a -> a.equals("--bind")).toList(),
        "nothing else is writable");
    assertTrue(hasPair(argv, "--dir", "/var/lib/slipway"), "parents traversable, nothing more");
    assertFalse(hasPair(argv, "--bind", "/var/lib/slipway"));
    assertTrue(hasPair(argv, "--chdir", WORK.toString()));
  }

  @Test
  void limitsUseCgroupsForTheTreeWhenThereAreAnyElseRlimits() {
    SandboxLimits limits = new SandboxLimits(512L << 20, 100, 1024, 1L << 30, 60, 0);

    assertEquals(
        List.of("--nofile=1024", "--fsize=1073741824", "--cpu=60:65"),
        BubblewrapCommand.rlimits(limits, true));
    assertEquals(
        List.of(
            "--nofile=1024",
            "--fsize=1073741824",
            "--cpu=60:65",
            "--data=536870912",
            "--nproc=100"),
        BubblewrapCommand.rlimits(limits, false));
    assertEquals(List.of(), BubblewrapCommand.rlimits(new SandboxLimits(0, 0, 0, 0, 0, 0), false));
  }

  @Test
  void cgroupJoinComesFirstSoNothingRunsOutsideIt() {
    List<String> procs = List.of("/sys/fs/cgroup/memory/x/cgroup.procs");
    List<String> argv =
        BubblewrapCommand.argv(host(true), Sandbox.writing(WORK), procs, WORK, COMMAND);

    assertEquals(List.of("/bin/sh", "-c", BubblewrapCommand.CGROUP_JOIN), argv.subList(0, 3));
    assertTrue(argv.indexOf(procs.get(0)) < argv.indexOf("/usr/bin/prlimit"));
    assertTrue(argv.indexOf("/usr/bin/prlimit") < argv.indexOf("/usr/bin/bwrap"));
  }

  @Test
  void environmentValuesNeverReachTheCommandLine() {
    Map<String, String> env = Map.of("DATABASE_URL", "postgres://u:hunter2@x/db", "HOME", "/root");

    List<String> argv =
        BubblewrapCommand.argv(host(true), Sandbox.writing(WORK), List.of(), WORK, COMMAND);
    Map<String, String> inside =
        BubblewrapCommand.environment(env, Sandbox.writing(WORK), host(true));

    assertTrue(argv.stream().noneMatch(a -> a.contains("hunter2")));
    assertEquals("postgres://u:hunter2@x/db", inside.get("DATABASE_URL"));
    assertEquals("/tmp", inside.get("HOME"), "the platform's home is not visible");
    assertEquals(
        WORK.toString(),
        BubblewrapCommand.environment(
                Map.of("HOME", WORK.toString()), Sandbox.writing(WORK), host(false))
            .get("HOME"));
    assertEquals(
        "/cache",
        BubblewrapCommand.environment(
                Map.of("HOME", "/root"),
                Sandbox.writing(WORK, Path.of("/cache")).withHome(Path.of("/cache")),
                host(true))
            .get("HOME"));
  }

  @Test
  void verdictNamesTheLimitThatEndedTheTree() {
    SandboxLimits limits = new SandboxLimits(512L << 20, 100, 1024, 10L << 20, 60, 0);
    record Case(int exit, long oom, long pids, Optional<String> line) {}
    for (Case c :
        List.of(
            new Case(137, 1, 0, Optional.of("killed: memory limit (512 MB)")),
            new Case(152, 0, 0, Optional.of("killed: CPU time limit (60 s)")),
            new Case(153, 0, 0, Optional.of("killed: file size limit (10 MB)")),
            new Case(
                1,
                0,
                3,
                Optional.of("killed: process limit (100 processes): new processes were refused")),
            new Case(1, 0, 0, Optional.empty()),
            new Case(137, 0, 0, Optional.empty()),
            new Case(0, 0, 0, Optional.empty()))) {
      assertEquals(c.line(), SandboxRun.verdict(limits, c.exit(), c.oom(), c.pids()), c.toString());
    }
    assertEquals(
        Optional.empty(),
        SandboxRun.verdict(new SandboxLimits(0, 0, 0, 0, 0, 0), 152, 0, 0),
        "no CPU limit set: exit 152 is the app's own");
  }
}
