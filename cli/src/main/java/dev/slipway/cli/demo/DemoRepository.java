package dev.slipway.cli.demo;

import dev.slipway.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** The demo's local git repository: the example app on main, and a pull request's branch. */
public final class DemoRepository {

  /** What the pull request's review app greets with: the PR's change, visible at its URL. */
  static final String PR_GREETING = "Hello from pull request #1";

  private static final PersonIdent AUTHOR = new PersonIdent("Slipway Demo", "demo@slipway.invalid");

  private final Path dir;
  private final String head;

  private DemoRepository(Path dir, String head) {
    this.dir = dir;
    this.head = head;
  }

  /** Copies {@code example} into {@code dir} and commits it on main. */
  static DemoRepository create(Path example, Path dir) {
    if (!Files.isDirectory(example)) {
      throw new CliException("no example app at " + example + " (set --example)");
    }
    try {
      copy(example, dir);
      try (Git git = Git.init().setInitialBranch("main").setDirectory(dir.toFile()).call()) {
        git.add().addFilepattern(".").call();
        String sha =
            git.commit()
                .setMessage("Initial commit")
                .setAuthor(AUTHOR)
                .setCommitter(AUTHOR)
                .setSign(false)
                .call()
                .getName();
        return new DemoRepository(dir, sha);
      }
    } catch (IOException | GitAPIException e) {
      throw new CliException(
          "cannot create the demo repository in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Commits the pull request's change on {@code branch}, leaving main where it was. */
  String commitChange(String branch) {
    try (Git git = Git.open(dir.toFile())) {
      git.checkout().setCreateBranch(true).setName(branch).call();
      Path appJson = dir.resolve("app.json");
      String json = Files.readString(appJson);
      Files.writeString(appJson, json.replace("Hello from a Slipway review app", PR_GREETING));
      git.add().addFilepattern("app.json").call();
      String sha =
          git.commit()
              .setMessage("Greet from pull request #1")
              .setAuthor(AUTHOR)
              .setCommitter(AUTHOR)
              .setSign(false)
              .call()
              .getName();
      git.checkout().setName("main").call();
      return sha;
    } catch (IOException | GitAPIException e) {
      throw new CliException("cannot commit on " + branch + ": " + e.getMessage(), e);
    }
  }

  Path dir() {
    return dir;
  }

  String head() {
    return head;
  }

  private static void copy(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      try (Stream<Path> old = Files.walk(to)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(p);
        if (rel.toString().startsWith("node_modules") || rel.toString().startsWith(".git")) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
