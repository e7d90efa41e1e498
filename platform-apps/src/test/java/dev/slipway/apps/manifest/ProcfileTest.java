package dev.slipway.apps.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Procfile parsing rules: types, comments, duplicates, malformed lines. */
class ProcfileTest {

  @Test
  void readsProcessTypesInOrderSkippingCommentsAndBlankLines() {
    Procfile procfile =
        Procfile.parse(
            "# processes\r\n"
                + "web: java -jar target/app.jar --port=$PORT\r\n"
                + "\r\n"
                + "worker:bundle exec sidekiq\n"
                + "  release: ./bin/migrate  \n");

    assertEquals(
        List.of("web", "worker", "release"), List.copyOf(procfile.processTypes().keySet()));
    assertEquals(Optional.of("java -jar target/app.jar --port=$PORT"), procfile.command("web"));
    assertEquals(Optional.of("bundle exec sidekiq"), procfile.command("worker"));
    assertEquals(Optional.of("./bin/migrate"), procfile.command("release"));
    assertEquals(Optional.empty(), procfile.command("clock"));
  }

  @Test
  void colonsInTheCommandAreKept() {
    assertEquals(
        Optional.of("java -cp lib/a.jar:lib/b.jar Main"),
        Procfile.parse("web: java -cp lib/a.jar:lib/b.jar Main").command("web"));
  }

  @Test
  void duplicateTypeTakesTheLastCommand() {
    Procfile procfile = Procfile.parse("web: first\nworker: w\nweb: second\n");

    assertEquals(Optional.of("second"), procfile.command("web"));
    assertEquals(List.of("web", "worker"), List.copyOf(procfile.processTypes().keySet()));
  }

  @Test
  void malformedLineIsAnErrorNamingItsNumber() {
    ManifestException e =
        assertThrows(
            ManifestException.class, () -> Procfile.parse("web: a\n\n# c\nweb server: b\n"));

    assertEquals("Procfile: line 4: expected \"<process type>: <command>\"", e.getMessage());
    assertEquals("Procfile", e.file());
    assertEquals("line 4", e.key());
  }

  @Test
  void typeWithoutCommandIsAnError() {
    ManifestException e = assertThrows(ManifestException.class, () -> Procfile.parse("web:\n"));

    assertEquals("Procfile: line 1: process type \"web\" has no command", e.getMessage());
  }

  @Test
  void emptyTextGivesAnEmptyProcfile() {
    assertTrue(Procfile.parse("").isEmpty());
    assertTrue(Procfile.parse("\n# nothing\n").isEmpty());
    assertEquals(Procfile.empty(), Procfile.parse("\n"));
  }
}
