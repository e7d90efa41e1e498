package dev.slipway.testing.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports are found by glob inside the workspace and nowhere else. */
class JUnitReportFinderTest {

  @TempDir Path workspace;
  @TempDir Path outside;

  @Test
  void defaultGlobsFindSurefireAndJunitReportsAtAnyDepthIncludingTheTopSorted() throws IOException {
    touch("junit.xml");
    touch("web/test-results/junit-web.xml");
    touch("api/target/surefire-reports/TEST-b.Test.xml");
    touch("api/target/surefire-reports/TEST-a.Test.xml");
    touch("surefire-reports/TEST-top.xml");
    touch("api/target/surefire-reports/a.Test.txt");
    touch("api/target/failsafe-reports/TEST-it.xml");
    touch("docs/junit-notes.md");

    List<Path> found = JUnitReportFinder.find(workspace, JUnitReportFinder.DEFAULT_GLOBS);

    assertEquals(
        List.of(
            workspace.resolve("api/target/surefire-reports/TEST-a.Test.xml"),
            workspace.resolve("api/target/surefire-reports/TEST-b.Test.xml"),
            workspace.resolve("junit.xml"),
            workspace.resolve("surefire-reports/TEST-top.xml"),
            workspace.resolve("web/test-results/junit-web.xml")),
        found);
  }

  @Test
  void aFileMatchedByTwoGlobsIsListedOnce() throws IOException {
    touch("target/surefire-reports/junit-report.xml");

    List<Path> found = JUnitReportFinder.find(workspace, JUnitReportFinder.DEFAULT_GLOBS);

    assertEquals(List.of(workspace.resolve("target/surefire-reports/junit-report.xml")), found);
  }

  @Test
  void customGlobsAreMatchedRelativeToTheWorkspace() throws IOException {
    touch("reports/results.xml");
    touch("other/reports/results.xml");

    List<Path> found = JUnitReportFinder.find(workspace, List.of("reports/*.xml"));

    assertEquals(List.of(workspace.resolve("reports/results.xml")), found);
  }

  @Test
  void symbolicLinksLeavingTheWorkspaceAreNotFollowed() throws IOException {
    Files.createDirectories(outside.resolve("surefire-reports"));
    Files.writeString(outside.resolve("surefire-reports/TEST-foreign.xml"), "<testsuite/>");
    Files.writeString(outside.resolve("junit-foreign.xml"), "<testsuite/>");
    Files.createSymbolicLink(workspace.resolve("linked-dir"), outside);
    Files.createSymbolicLink(
        workspace.resolve("junit-link.xml"), outside.resolve("junit-foreign.xml"));
    touch("target/surefire-reports/TEST-own.xml");

    List<Path> found = JUnitReportFinder.find(workspace, JUnitReportFinder.DEFAULT_GLOBS);

    assertEquals(List.of(workspace.resolve("target/surefire-reports/TEST-own.xml")), found);
  }

  @Test
  void aLinkedReportInsideTheWorkspaceIsFound() throws IOException {
    touch("build/junit-real.xml");
    Files.createSymbolicLink(
        workspace.resolve("junit-latest.xml"), workspace.resolve("build/junit-real.xml"));

    List<Path> found = JUnitReportFinder.find(workspace, JUnitReportFinder.DEFAULT_GLOBS);

    assertEquals(
        List.of(workspace.resolve("build/junit-real.xml"), workspace.resolve("junit-latest.xml")),
        found);
  }

  @Test
  void dependencyAndGitDirectoriesAreNotSearched() throws IOException {
    touch("node_modules/some-lib/fixtures/junit.xml");
    touch(".git/junit-hook.xml");
    touch("test/junit.xml");

    List<Path> found = JUnitReportFinder.find(workspace, JUnitReportFinder.DEFAULT_GLOBS);

    assertEquals(List.of(workspace.resolve("test/junit.xml")), found);
  }

  @Test
  void missingWorkspaceIsReported() {
    assertThrows(
        NoSuchFileException.class,
        () -> JUnitReportFinder.find(workspace.resolve("gone"), JUnitReportFinder.DEFAULT_GLOBS));
  }

  private void touch(String relative) throws IOException {
    Path file = workspace.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "<testsuite/>");
  }
}
