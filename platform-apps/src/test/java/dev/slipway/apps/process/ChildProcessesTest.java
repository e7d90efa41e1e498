package dev.slipway.apps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child process trees: output, environment, timeouts and tree kills. */
class ChildProcessesTest {
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Map<String, String> PATH = Map.of("PATH", "/usr/bin:/bin");

  @TempDir Path dir;

  /** Collects lines; the sink contract says calls are serialized. */
  private static final class Lines implements LineSink {
    final List<String> out = new ArrayList<>();
    final List<String> err = new ArrayList<>();

    @Override
    public void accept(Channel channel, String line) {
      (channel == Channel.STDOUT ? out : err).add(line);
    }
  }

  private ProcessResult run(Lines lines, Map<String, String> env, String... command)
      throws Exception {
    RunningProcess process =
        ChildProcesses.start(new ProcessSpec(List.of(command), dir, env), lines, GRACE);
    return process.completion().get(60, TimeUnit.SECONDS);
  }

  @Test
  void deliversStdoutAndStderrLinesInOrder() throws Exception {
    Lines lines = new Lines();

    ProcessResult result =
        run(lines, PATH, "sh", "-c", "echo one; echo two; echo oops >&2; printf 'last'");

    assertEquals(List.of("one", "two", "last"), lines.out);
    assertEquals(List.of("oops"), lines.err);
    assertEquals(new ProcessResult(0, Ending.EXITED, result.duration()), result);
    assertTrue(result.succeeded());
  }

  @Test
  void reportsTheExitCode() throws Exception {
    ProcessResult result = run(new Lines(), PATH, "sh", "-c", "exit 3");

    assertEquals(3, result.exitCode());
    assertEquals(Ending.EXITED, result.ending());
    assertFalse(result.succeeded());
  }

  @Test
  void environmentIsExactlyTheGivenOne() throws Exception {
    Lines lines = new Lines();

    run(lines, Map.of("ONLY", "this", "PATH", "/usr/bin:/bin"), "env");

    assertEquals(List.of("ONLY=this", "PATH=/usr/bin:/bin"), lines.out.stream().sorted().toList());
  }

  @Test
  void emptyEnvironmentStillFindsCommandsOnTheDefaultPath() throws Exception {
    Lines lines = new Lines();

    run(lines, Map.of(), "env");

    assertEquals(List.of(), lines.out);
  }

  @Test
  void argumentsAreNeverInterpretedByAShell() throws Exception {
    Path marker = dir.resolve("marker");
    String argument = "$(touch " + marker + ") `touch " + marker + "`; touch " + marker;
    Lines lines = new Lines();

    run(lines, PATH, "echo", argument);

    assertEquals(List.of(argument), lines.out);
    assertFalse(Files.exists(marker));
  }

  @Test
  void runsInTheWorkingDirectory() throws Exception {
    Lines lines = new Lines();

    run(lines, PATH, "pwd");

    assertEquals(List.of(dir.toRealPath().toString()), lines.out);
  }

  @Test
  void splitsVeryLongLines() throws Exception {
    Lines lines = new Lines();
    int length = ChildProcesses.MAX_LINE_CHARS * 2 + 10;

    run(lines, PATH, "sh", "-c", "head -c " + length + " /dev/zero | tr '\\0' a; echo; echo next");

    assertEquals(
        List.of(ChildProcesses.MAX_LINE_CHARS, ChildProcesses.MAX_LINE_CHARS, 10, 4),
        lines.out.stream().map(String::length).toList());
  }

  @Test
  void decodesUtf8() throws Exception {
    Lines lines = new Lines();

    run(lines, PATH, "printf", "h\\303\\251llo \\342\\234\\223\\n");

    assertEquals(List.of("héllo ✓"), lines.out);
  }

  @Test
  void missingCommandFailsToStart() {
    assertThrows(
        NoSuchFileException.class,
        () ->
            ChildProcesses.start(
                new ProcessSpec(List.of("no-such-command-slipway"), dir, PATH), (c, l) -> {}));
  }

  @Test
  void timeoutKillsTheWholeTree() throws Exception {
    Path pidFile = dir.resolve("pid");
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(
                List.of("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; wait"),
                dir,
                PATH,
                Duration.ofMillis(500)),
            (c, l) -> {},
            GRACE);

    ProcessResult result = process.completion().get(60, TimeUnit.SECONDS);

    assertEquals(Ending.TIMED_OUT, result.ending());
    assertFalse(process.isAlive());
    assertDead(Long.parseLong(Files.readString(pidFile).strip()));
  }

  @Test
  void cancelKillsAGrandchildStartedInTheBackground() throws Exception {
    Path pidFile = dir.resolve("pid");
    Lines lines = new Lines();
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(
                List.of("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; echo started; wait"),
                dir,
                PATH),
            lines,
            GRACE);
    awaitFile(pidFile);
    long grandchild = Long.parseLong(Files.readString(pidFile).strip());
    assertTrue(ProcessHandle.of(grandchild).isPresent());

    process.cancel();
    ProcessResult result = process.completion().get(60, TimeUnit.SECONDS);

    assertEquals(Ending.CANCELLED, result.ending());
    assertEquals(List.of("started"), lines.out);
    assertDead(grandchild);
    assertDead(process.pid());
  }

  @Test
  void cancelEscalatesToSigkillWhenTermIsIgnored() throws Exception {
    Path ready = dir.resolve("ready");
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(
                List.of(
                    "sh", "-c", "trap '' TERM; echo > " + ready + "; while :; do sleep 1; done"),
                dir,
                PATH),
            (c, l) -> {},
            Duration.ofMillis(200));
    awaitFile(ready);

    process.cancel();
    ProcessResult result = process.completion().get(60, TimeUnit.SECONDS);

    assertEquals(Ending.CANCELLED, result.ending());
    assertEquals(137, result.exitCode());
  }

  @Test
  void outputPrintedWhileShuttingDownIsStillDelivered() throws Exception {
    Path ready = dir.resolve("ready");
    Lines lines = new Lines();
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(
                List.of(
                    "sh",
                    "-c",
                    "trap 'echo bye; exit 0' TERM; echo > "
                        + ready
                        + "; while :; do sleep 1; done"),
                dir,
                PATH),
            lines,
            GRACE);
    awaitFile(ready);

    process.cancel();
    ProcessResult result = process.completion().get(60, TimeUnit.SECONDS);

    assertEquals(Ending.CANCELLED, result.ending());
    assertEquals(List.of("bye"), lines.out);
  }

  @Test
  void completesEvenWhenAnEscapedDaemonKeepsTheOutputOpen() throws Exception {
    Path pidFile = dir.resolve("pid");
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(
                List.of("sh", "-c", "setsid sleep 300 & echo $! > " + pidFile), dir, PATH),
            (c, l) -> {},
            Duration.ofMillis(100));
    try {
      ProcessResult result = process.completion().get(60, TimeUnit.SECONDS);

      assertEquals(0, result.exitCode());
      assertEquals(Ending.EXITED, result.ending());
    } finally {
      awaitFile(pidFile);
      ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void backgroundProcessesLeftBehindAreEndedWithTheMainProcess() throws Exception {
    Path pidFile = dir.resolve("pid");

    ProcessResult result =
        run(new Lines(), PATH, "sh", "-c", "sleep 300 & echo $! > " + pidFile + "; exit 0");

    assertEquals(new ProcessResult(0, Ending.EXITED, result.duration()), result);
    assertDead(Long.parseLong(Files.readString(pidFile).strip()));
  }

  @Test
  void cancelAfterExitChangesNothing() throws Exception {
    RunningProcess process =
        ChildProcesses.start(new ProcessSpec(List.of("true"), dir, PATH), (c, l) -> {}, GRACE);
    ProcessResult result = process.completion().get(60, TimeUnit.SECONDS);

    process.cancel();

    assertEquals(Ending.EXITED, process.completion().get().ending());
    assertEquals(0, result.exitCode());
  }

  @Test
  void aFailingSinkDoesNotStopTheDraining() throws Exception {
    List<String> seen = new ArrayList<>();
    LineSink sink =
        (channel, line) -> {
          seen.add(line);
          throw new IllegalStateException("sink broke");
        };
    RunningProcess process =
        ChildProcesses.start(
            new ProcessSpec(List.of("sh", "-c", "echo a; echo b"), dir, PATH), sink, GRACE);

    assertEquals(Ending.EXITED, process.completion().get(60, TimeUnit.SECONDS).ending());
    assertEquals(List.of("a", "b"), seen);
  }

  /** Dead means gone or a zombie: the container's init may not reap orphans. */
  private static void assertDead(long pid) throws Exception {
    Path stat = Path.of("/proc/" + pid + "/stat");
    for (int attempt = 0; attempt < 100 && Files.exists(stat); attempt++) {
      String state;
      try {
        String content = Files.readString(stat);
        state = content.substring(content.lastIndexOf(')') + 2, content.lastIndexOf(')') + 3);
      } catch (NoSuchFileException e) {
        return;
      }
      if (state.equals("Z") || state.equals("X")) {
        return;
      }
      Thread.sleep(50);
    }
    assertFalse(Files.exists(stat), "process " + pid + " is still running");
  }

  private static void awaitFile(Path file) throws Exception {
    for (int attempt = 0; attempt < 600; attempt++) {
      if (Files.exists(file) && Files.size(file) > 0) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError(file + " never appeared");
  }
}
