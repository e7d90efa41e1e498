package dev.slipway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    CommandLine root = Main.commandLine();
    assertTrue(root.getSubcommands().containsKey("up"), "up is a command");
    for (String name : root.getSubcommands().keySet()) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cmd = Main.commandLine();
      cmd.setOut(new PrintWriter(out));
      cmd.setErr(new PrintWriter(err));
      int code = cmd.execute(name, "--help");
      assertEquals(0, code, name + " --help: " + err);
      assertTrue(out.toString().contains("Usage: slipway " + name), name + ": " + out);
    }
  }

  @Test
  void demoHelpSaysItStartsThePlatformWhenNoneRuns() {
    StringWriter out = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertEquals(0, cmd.execute("demo", "--help"));
    assertTrue(out.toString().contains("Starts the platform"), out.toString());
    assertTrue(out.toString().contains("--stop"), out.toString());
  }
}
