package dev.slipway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real git repository made in a test: a bare "remote" that services fetch from over {@code
 * file://}, and a working clone the test commits and pushes with, like a developer would.
 */
public final class GitFixture implements AutoCloseable {

  private static final PersonIdent DEVELOPER = new PersonIdent("Dev Eloper", "dev@example.com");
  private static final Set<String> SKIPPED = Set.of("target", "node_modules", "dist", ".git");

  private final Path root;
  private final Path remote;
  private final Git work;

  private GitFixture(Path root, Path remote, Git work) {
    this.root = root;
    this.remote = remote;
    this.work = work;
  }

  /** A new repository whose first commit on {@code main} holds a copy of {@code appDir}. */
  public static GitFixture withApp(Path appDir) {
    try {
      Path root = Files.createTempDirectory("slipway-git-");
      Path remote = root.resolve("origin.git");
      Git.init()
          .setBare(true)
          .setDirectory(remote.toFile())
          .setInitialBranch("main")
          .call()
          .close();
      Git work =
          Git.cloneRepository()
              .setURI(remote.toUri().toString())
              .setDirectory(root.resolve("work").toFile())
              .call();
      work.checkout().setOrphan(true).setName("main").call();
      GitFixture fixture = new GitFixture(root, remote, work);
      fixture.copyIn(appDir);
      fixture.commitAndPush("Initial commit");
      return fixture;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The URL services fetch from. */
  public String url() {
    return remote.toUri().toString();
  }

  /** The working tree the test edits. */
  public Path workTree() {
    return work.getRepository().getWorkTree().toPath();
  }

  /** Writes a file in the working tree (parents created). */
  public GitFixture write(String path, String content) {
    try {
      Path file = workTree().resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Switches to {@code branch}, creating it from the current commit when new. */
  public GitFixture branch(String branch) {
    try {
      boolean exists = work.getRepository().findRef("refs/heads/" + branch) != null;
      work.checkout().setName(branch).setCreateBranch(!exists).call();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Commits everything in the working tree and pushes the current branch; returns the SHA. */
  public String commitAndPush(String message) {
    try {
      work.add().addFilepattern(".").call();
      work.add().addFilepattern(".").setUpdate(true).call();
      RevCommit commit =
          work.commit().setMessage(message).setAuthor(DEVELOPER).setCommitter(DEVELOPER).call();
      work.push().setRemote("origin").add(work.getRepository().getBranch()).call();
      return commit.getName();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  private void copyIn(Path appDir) throws IOException {
    try (Stream<Path> files = Files.walk(appDir)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path relative = appDir.relativize(source);
        if (relative.toString().isEmpty()
            || SKIPPED.stream().anyMatch(s -> relative.startsWith(s))) {
          continue;
        }
        Path target = workTree().resolve(relative.toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  @Override
  public void close() {
    work.close();
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: under java.io.tmpdir
    }
  }
}
