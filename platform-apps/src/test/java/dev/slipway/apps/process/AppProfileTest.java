package dev.slipway.apps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every app process starts after the app's {@code .profile.d/*.sh} and {@code .profile}. */
class AppProfileTest {

  @TempDir Path app;

  @BeforeEach
  void profile() throws Exception {
    Files.createDirectories(app.resolve(".profile.d"));
    Files.writeString(app.resolve(".profile.d/a.sh"), "export FROM_A=a\nset -- reset by a\n");
    Files.writeString(app.resolve(".profile.d/b.sh"), "export FROM_B=\"b after $FROM_A\"\n");
    Files.writeString(app.resolve(".profile.d/ignored.txt"), "export IGNORED=yes\n");
    Files.writeString(app.resolve(".profile"), "export FROM_PROFILE=\"p after $FROM_B\"\n");
  }

  @Test
  void theArgvSourcesTheProfileInOrderThenRunsTheCommandGivenAsAnArgument() throws Exception {
    String out =
        run(
            AppProfile.argv(
                "bash", "echo \"$FROM_A|$FROM_B|$FROM_PROFILE|${IGNORED:-none}|$(basename $0)\""));
    assertEquals("a|b after a|p after b after a|none|bash\n", out);
  }

  @Test
  void theInlineFormSourcesTheProfileBeforeTheCommand() throws Exception {
    String out = run(List.of("bash", "-c", AppProfile.inline("echo \"$FROM_PROFILE\"")));
    assertEquals("p after b after a\n", out);
  }

  @Test
  void anAppWithoutProfileScriptsRunsTheCommandAsIs() throws Exception {
    Files.delete(app.resolve(".profile"));
    try (var files = Files.list(app.resolve(".profile.d"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    assertEquals("plain\n", run(AppProfile.argv("bash", "echo plain")));
  }

  @Test
  void theScriptCanBeEmbeddedInSingleQuotesAndFormatStrings() {
    assertFalse(AppProfile.RUN_FIRST_ARGUMENT.contains("'"));
    assertFalse(AppProfile.RUN_FIRST_ARGUMENT.contains("%"));
  }

  private String run(List<String> argv) throws Exception {
    Process p =
        new ProcessBuilder(new ArrayList<>(argv))
            .directory(app.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
