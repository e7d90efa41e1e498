package dev.slipway.apps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile script in a real bubblewrap sandbox tries to reach what belongs to the platform and to
 * other processes, and to exhaust the machine; every attempt fails.
 */
class SandboxTest {
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Map<String, String> ENV =
      Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/root");

  @TempDir Path temp;

  @BeforeAll
  static void bubblewrapIsInstalled() {
    SandboxSupport support = SandboxSupport.current();
    if (!support.available()) {
      fail(
          "the sandbox tests need bubblewrap, which is required for them (install it: "
              + SandboxSupport.INSTALL
              + "): "
              + support.summary());
    }
  }

  private record Run(ProcessResult result, List<String> lines, String text) {}

  private Run hostile(Sandbox sandbox, Path workspace, Duration timeout, String script)
      throws Exception {
    List<String> lines = new ArrayList<>();
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(List.of("bash", "-c", script), workspace, ENV, timeout, sandbox),
            (channel, line) -> lines.add(line),
            GRACE);
    ProcessResult result = process.completion().get(120, TimeUnit.SECONDS);
    return new Run(result, lines, String.join("\n", lines));
  }

  private Path workspace() throws Exception {
    return Files.createDirectories(temp.resolve("workspace"));
  }

  @Test
  void cannotReadAnotherProcessCommandLineOrEnvironment() throws Exception {
    String secret = "slipway-secret-" + UUID.randomUUID();
    ProcessBuilder sibling = new ProcessBuilder("bash", "-c", "sleep 60", secret);
    sibling.environment().put("SLIPWAY_ADMIN_TOKEN", secret);
    Process victim = sibling.start();
    try {
      long pid = victim.pid();
      long platform = ProcessHandle.current().pid();
      Run run =
          hostile(
              Sandbox.writing(workspace()),
              workspace(),
              Duration.ofSeconds(30),
              "cat /proc/"
                  + pid
                  + "/cmdline /proc/"
                  + pid
                  + "/environ /proc/"
                  + platform
                  + "/cmdline /proc/"
                  + platform
                  + "/environ 2>&1 | tr '\\0' ' '; "
                  + "for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do cat $f 2>/dev/null;"
                  + " done | tr '\\0' ' '; echo; "
                  + "if [ -e /proc/"
                  + pid
                  + " ]; then echo VISIBLE; else echo INVISIBLE; fi");

      assertFalse(run.text().contains(secret), run.text());
      assertTrue(run.lines().contains("INVISIBLE"), run.text());
      assertTrue(victim.isAlive(), "the sibling process is untouched");
    } finally {
      victim.destroyForcibly();
    }
  }

  @Test
  void toolchainsAndTrustedCertificatesWorkInside() throws Exception {
    Run run =
        hostile(
            Sandbox.writing(workspace()),
            workspace(),
            Duration.ofSeconds(60),
            "java -version 2>&1 | head -1; node -e 'console.log(\"node ok\")';"
                + " head -c 0 /etc/ssl/openssl.cnf && echo certs-readable; id -un");

    assertTrue(run.result().succeeded(), run.text());
    assertTrue(run.text().contains("openjdk version"), run.text());
    assertTrue(run.lines().contains("node ok"), run.text());
    assertTrue(run.lines().contains("certs-readable"), run.text());
  }

  @Test
  void seesNoOtherProcesses() throws Exception {
    Run run =
        hostile(
            Sandbox.writing(workspace()),
            workspace(),
            Duration.ofSeconds(30),
            "ls /proc | grep -c '^[0-9]*$'; ps -eo user=,args= | grep -v 'ps -eo'");

    // bwrap's init, this bash and the ls/grep pipeline at most; the host runs hundreds.
    assertTrue(Integer.parseInt(run.lines().get(0)) <= 5, run.text());
    assertTrue(run.lines().stream().noneMatch(l -> l.contains("java")), run.text());
  }

  @Test
  void cannotReadTheDataDirectoryConfigOrTheHostHome() throws Exception {
    String secret = "slipway.admin-token=" + UUID.randomUUID();
    Path data = Files.createDirectories(temp.resolve("data"));
    Files.writeString(data.resolve("config.properties"), secret);
    Files.writeString(
        Files.createDirectories(data.resolve("postgres")).resolve("PG_VERSION"), secret);
    Path home = Path.of(System.getProperty("user.home"));
    Path marker = home.resolve(".slipway-sandbox-test-" + UUID.randomUUID());
    Files.writeString(marker, secret);
    try {
      Run run =
          hostile(
              Sandbox.writing(workspace()),
              workspace(),
              Duration.ofSeconds(30),
              "cat "
                  + data.resolve("config.properties")
                  + " "
                  + data.resolve("postgres/PG_VERSION")
                  + " "
                  + marker
                  + "; ls -A "
                  + data
                  + " "
                  + home
                  + "; grep -rs admin-token / --exclude-dir=proc --exclude-dir=sys"
                  + " --exclude-dir=dev --exclude-dir=usr; echo done");

      assertFalse(run.text().contains(secret), run.text());
      assertTrue(
          run.lines()
              .contains(
                  "cat: " + data.resolve("config.properties") + ": No such file or directory"),
          run.text());
      assertTrue(
          run.lines().contains("cat: " + marker + ": No such file or directory"), run.text());
      assertTrue(run.lines().contains("done"), run.text());
    } finally {
      Files.deleteIfExists(marker);
    }
  }

  @Test
  void writesOnlyInsideItsWorkspaceAndThePlatformCanUseWhatItWrote() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("other-app"));
    Path workspace = workspace();
    Run run =
        hostile(
            Sandbox.writing(workspace),
            workspace,
            Duration.ofSeconds(30),
            "for f in "
                + outside.resolve("planted")
                + " "
                + temp.resolve("planted")
                + " /usr/planted /etc/planted /planted; do echo x > $f 2>/dev/null"
                + " && echo WROTE $f; done; echo built > result.txt; mkdir -p target/classes;"
                + " echo ok");

    assertFalse(run.text().contains("WROTE"), run.text());
    assertFalse(Files.exists(outside.resolve("planted")));
    assertFalse(Files.exists(temp.resolve("planted")));
    assertFalse(Files.exists(Path.of("/usr/planted")));
    assertFalse(Files.exists(Path.of("/etc/planted")));
    assertEquals("built\n", Files.readString(workspace.resolve("result.txt")));
    assertTrue(Files.isDirectory(workspace.resolve("target/classes")));
  }

  @Test
  void fillingMemoryIsKilledWithAClearLine() throws Exception {
    SandboxLimits limits = SandboxLimits.defaults().withMemoryMegabytes(64);
    Run run =
        hostile(
            Sandbox.writing(workspace()).withLimits(limits),
            workspace(),
            Duration.ofSeconds(60),
            "x=$(head -c 400000000 /dev/zero | tr '\\0' a); echo survived ${#x}");

    assertFalse(run.result().succeeded(), run.text());
    assertFalse(run.text().contains("survived 400000000"), run.text());
    if (SandboxCgroup.supported()) {
      assertTrue(run.lines().contains("killed: memory limit (64 MB)"), run.text());
    }
  }

  @Test
  void aForkBombHitsTheProcessLimitAndIsCleanedUp() throws Exception {
    SandboxLimits limits = SandboxLimits.defaults().withProcesses(64);
    Path workspace = workspace();
    Run run =
        hostile(
            Sandbox.writing(workspace).withLimits(limits),
            workspace,
            Duration.ofSeconds(5),
            "bomb() { bomb | bomb & }; bomb; sleep 30");

    assertNotEquals(Ending.EXITED, run.result().ending(), run.text());
    if (SandboxCgroup.supported()) {
      assertTrue(
          run.lines().contains("killed: process limit (64 processes): new processes were refused"),
          run.text());
    }
    Thread.sleep(500);
    long left =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains("bomb"))
            .count();
    assertEquals(0, left, "no process of the bomb survives");
  }

  @Test
  void aHugeFileIsStoppedAtTheFileSizeLimit() throws Exception {
    SandboxLimits limits = SandboxLimits.defaults().withFileSizeMegabytes(10);
    Path workspace = workspace();
    Run run =
        hostile(
            Sandbox.writing(workspace).withLimits(limits),
            workspace,
            Duration.ofSeconds(30),
            "exec head -c 100000000 /dev/zero > huge");

    assertEquals(128 + 25, run.result().exitCode(), run.text());
    assertTrue(run.lines().contains("killed: file size limit (10 MB)"), run.text());
    assertTrue(Files.size(workspace.resolve("huge")) <= 10L * 1024 * 1024);
  }

  @Test
  void manySmallFilesPastTheDiskQuotaAreKilledWithAClearLine() throws Exception {
    SandboxLimits limits = SandboxLimits.defaults().withDiskMegabytes(20);
    Path workspace = workspace();
    Run run =
        hostile(
            Sandbox.writing(workspace).withLimits(limits),
            workspace,
            Duration.ofSeconds(90),
            "i=0; while :; do head -c 4096 /dev/zero > f$i || exit 0; i=$((i+1)); done");

    assertEquals(Ending.EXITED, run.result().ending(), run.text());
    assertNotEquals(0, run.result().exitCode(), run.text());
    assertTrue(run.lines().contains("killed: disk quota (20 MB)"), run.text());
    long kept = DiskQuota.usage(List.of(workspace), Long.MAX_VALUE);
    assertTrue(kept > 20L << 20, "it did fill past the quota: " + kept);
    assertTrue(kept < 40L << 20, "the workspace stops near the quota: " + kept);
  }

  @Test
  void tmpIsBoundedByTheDiskQuota() throws Exception {
    SandboxLimits limits = SandboxLimits.defaults().withDiskMegabytes(20);
    Run run =
        hostile(
            Sandbox.writing(workspace()).withLimits(limits),
            workspace(),
            Duration.ofSeconds(60),
            "head -c 30000000 /dev/zero > /tmp/big; echo exit $?; du -sk /tmp");

    assertTrue(run.text().contains("No space left on device"), run.text());
    assertFalse(run.text().contains("exit 0"), run.text());
  }

  @Test
  void cpuTimeLimitKillsABusyLoop() throws Exception {
    SandboxLimits limits = SandboxLimits.defaults().withCpuSeconds(1);
    Run run =
        hostile(
            Sandbox.writing(workspace()).withLimits(limits),
            workspace(),
            Duration.ofSeconds(30),
            "exec bash -c 'while :; do :; done'");

    assertEquals(Ending.EXITED, run.result().ending(), run.text());
    assertTrue(run.lines().contains("killed: CPU time limit (1 s)"), run.text());
  }

  @Test
  void ownNetworkHasAPrivateLoopbackWithoutTheHostsPorts() throws Exception {
    try (java.net.ServerSocket host =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String probe = "exec 3<>/dev/tcp/127.0.0.1/" + host.getLocalPort();
      Run isolated =
          hostile(
              Sandbox.writing(workspace()).withOwnNetwork(),
              workspace(),
              Duration.ofSeconds(30),
              probe + " && echo CONNECTED || echo REFUSED");
      Run shared =
          hostile(
              Sandbox.writing(workspace()),
              workspace(),
              Duration.ofSeconds(30),
              probe + " && echo CONNECTED || echo REFUSED");

      assertTrue(isolated.lines().contains("REFUSED"), isolated.text());
      assertTrue(shared.lines().contains("CONNECTED"), shared.text());
    }
  }

  @Test
  void cancelSendsSigtermToTheAppInsideFirst() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Path workspace = workspace();
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(
                List.of(
                    "bash",
                    "-c",
                    "trap 'echo graceful; exit 0' TERM; echo up; while :; do sleep 0.1; done"),
                workspace,
                ENV,
                null,
                Sandbox.writing(workspace)),
            (channel, line) -> lines.add(line),
            GRACE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!lines.contains("up") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    process.cancel();
    ProcessResult result = process.completion().get(30, TimeUnit.SECONDS);

    assertEquals(Ending.CANCELLED, result.ending());
    assertTrue(lines.contains("graceful"), lines.toString());
    assertTrue(result.duration().compareTo(GRACE.plus(Duration.ofSeconds(5))) < 0);
  }

  @Test
  void untrustedCodeIsRefusedWhenTheSandboxIsUnavailable() {
    SandboxHost noBubblewrap =
        new SandboxHost(null, null, null, false, Map.of(), List.of(), List.of());

    SandboxSupport support = SandboxSupport.check(noBubblewrap);

    assertFalse(support.available());
    assertTrue(support.summary().contains("apt-get install bubblewrap"), support.summary());
    assertTrue(support.refusal().startsWith("fork pull-request code runs only in the sandbox"));
  }

  @Test
  void theSandboxIsReportedOnWithItsVersion() {
    assertTrue(
        SandboxSupport.current().summary().startsWith("sandbox: on (bubblewrap "),
        SandboxSupport.current().summary());
  }
}
