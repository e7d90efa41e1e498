package dev.slipway.build.source;

import dev.slipway.platform.outbound.UrlPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Fetches exactly one commit with JGit (shallow when the server lets us ask for a commit, else the
 * branch or pull-request ref that holds it) and checks it out, refusing what Slipway cannot build
 * faithfully: submodules and Git LFS. Every repository URL passes the {@link UrlPolicy} (its host's
 * every address included) before JGit connects, and errors never repeat what a server said.
 */
public final class SourceFetcher {

  private final Duration timeout;
  private final UrlPolicy urlPolicy;
  private final UrlPolicy.Resolver resolver;

  public SourceFetcher(Duration timeout, UrlPolicy urlPolicy) {
    this(timeout, urlPolicy, UrlPolicy.Resolver.SYSTEM);
  }

  SourceFetcher(Duration timeout, UrlPolicy urlPolicy, UrlPolicy.Resolver resolver) {
    this.timeout = timeout;
    this.urlPolicy = urlPolicy;
    this.resolver = resolver;
  }

  /**
   * Checks {@code commitSha} of {@code repositoryUrl} out into {@code dir} (created; must not
   * exist). {@code branch} and {@code prNumber} say which refs may hold the commit.
   *
   * @return the commit's committer time: the build's {@code SOURCE_DATE_EPOCH}, so timestamps
   *     buildpacks write depend on the source, not on when it was built
   */
  public Instant fetch(
      String repositoryUrl,
      String commitSha,
      String branch,
      Integer prNumber,
      Path dir,
      Consumer<String> log)
      throws SourceException {
    ObjectId commit;
    try {
      commit = ObjectId.fromString(commitSha);
    } catch (IllegalArgumentException e) {
      throw new SourceException(true, "not a commit SHA: " + commitSha);
    }
    refuseDisallowed(repositoryUrl);
    Instant committed;
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("slipway").call()) {
      log.accept(
          "-----> Fetching " + shortSha(commitSha) + " from " + withoutCredentials(repositoryUrl));
      if (!fetchCommit(git, repositoryUrl, commitSha)) {
        for (String ref : refsThatMayHold(branch, prNumber)) {
          if (fetchRef(git, repositoryUrl, ref) && has(git.getRepository(), commit)) {
            break;
          }
        }
      }
      if (!has(git.getRepository(), commit)) {
        throw new SourceException(
            true,
            "commit "
                + commitSha
                + " is not in "
                + withoutCredentials(repositoryUrl)
                + " (force-pushed away?)");
      }
      git.checkout().setName(commitSha).call();
      committed = commitTime(git.getRepository(), commit);
    } catch (GitAPIException e) {
      throw new SourceException(
          false, "could not fetch " + withoutCredentials(repositoryUrl) + ": " + rootMessage(e), e);
    } catch (RuntimeException e) {
      throw unreadable(repositoryUrl, e);
    }
    refuseUnsupported(dir);
    return committed;
  }

  /**
   * The commit a branch, tag or full SHA names in the repository (ls-remote).
   *
   * @throws SourceException usersFault when the ref does not exist
   */
  public String resolve(String repositoryUrl, String ref) throws SourceException {
    if (ref.matches("[0-9a-f]{40}")) {
      return ref;
    }
    refuseDisallowed(repositoryUrl);
    try {
      var refs =
          Git.lsRemoteRepository()
              .setRemote(repositoryUrl)
              .setTimeout((int) timeout.toSeconds())
              .callAsMap();
      for (String name : List.of(ref, "refs/heads/" + ref, "refs/tags/" + ref)) {
        var found = refs.get(name);
        if (found != null) {
          ObjectId peeled = found.getPeeledObjectId();
          return (peeled != null ? peeled : found.getObjectId()).name();
        }
      }
    } catch (GitAPIException e) {
      throw new SourceException(
          false,
          "could not list refs of " + withoutCredentials(repositoryUrl) + ": " + rootMessage(e),
          e);
    } catch (RuntimeException e) {
      throw unreadable(repositoryUrl, e);
    }
    throw new SourceException(
        true, "no branch or tag " + ref + " in " + withoutCredentials(repositoryUrl));
  }

  /** The installation's URL policy, checked (with the host resolved) before any connection. */
  private void refuseDisallowed(String repositoryUrl) throws SourceException {
    var refused = urlPolicy.refusalBeforeConnect(repositoryUrl, resolver);
    if (refused.isPresent()) {
      throw new SourceException(
          true,
          "repository URL "
              + withoutCredentials(repositoryUrl)
              + " is not allowed: "
              + refused.get());
    }
  }

  private boolean fetchCommit(Git git, String url, String sha) {
    try {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(new RefSpec(sha + ":refs/slipway/commit"))
          .setDepth(1)
          .setTimeout((int) timeout.toSeconds())
          .call();
      return has(git.getRepository(), ObjectId.fromString(sha));
    } catch (GitAPIException | RuntimeException e) {
      // The server does not serve unadvertised commits: fall back to the refs that hold it.
      return false;
    }
  }

  private boolean fetchRef(Git git, String url, String ref) throws GitAPIException {
    try {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(new RefSpec("+" + ref + ":refs/slipway/" + ref.replace("refs/", "")))
          .setTimeout((int) timeout.toSeconds())
          .call();
      return true;
    } catch (org.eclipse.jgit.api.errors.TransportException e) {
      if (String.valueOf(e.getMessage()).contains("not have")
          || String.valueOf(e.getMessage()).contains("not found")) {
        return false;
      }
      throw e;
    }
  }

  private static List<String> refsThatMayHold(String branch, Integer prNumber) {
    List<String> refs = new ArrayList<>();
    if (prNumber != null) {
      refs.add("refs/pull/" + prNumber + "/head");
      refs.add("refs/merge-requests/" + prNumber + "/head");
    }
    if (branch != null) {
      refs.add("refs/heads/" + branch);
    }
    return refs;
  }

  private static Instant commitTime(Repository repo, ObjectId commit) {
    try (RevWalk walk = new RevWalk(repo)) {
      return Instant.ofEpochSecond(walk.parseCommit(commit).getCommitTime());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean has(Repository repo, ObjectId commit) {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.parseCommit(commit);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void refuseUnsupported(Path dir) throws SourceException {
    if (Files.exists(dir.resolve(".gitmodules"))) {
      throw new SourceException(
          true,
          ".gitmodules: git submodules are not supported; vendor the code into the repository");
    }
    Path attributes = dir.resolve(".gitattributes");
    try {
      if (Files.isRegularFile(attributes) && Files.readString(attributes).contains("filter=lfs")) {
        throw new SourceException(
            true, ".gitattributes: Git LFS files are not supported; commit the files themselves");
      }
    } catch (IOException e) {
      throw new SourceException(false, "could not read .gitattributes", e);
    }
  }

  /**
   * JGit throws unchecked exceptions for what a server sends that it cannot read (a dumb-HTTP
   * server's malformed ref list, say). That is the server's answer, not Slipway's bug; its content
   * is not repeated, since the server may be anything.
   */
  private static SourceException unreadable(String repositoryUrl, RuntimeException e) {
    return new SourceException(
        false,
        "could not read the answer of "
            + withoutCredentials(repositoryUrl)
            + " as a git repository ("
            + e.getClass().getSimpleName()
            + ")",
        e);
  }

  /** The URL with any user and password removed, for logs and errors. */
  public static String withoutCredentials(String url) {
    return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
  }

  private static String shortSha(String sha) {
    return sha.substring(0, Math.min(12, sha.length()));
  }

  /**
   * What went wrong, in Slipway's words: JGit's messages can quote the server's answer (the first
   * line of an internal page, say), which must never reach a build log or an API error.
   */
  static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "the host does not resolve";
      }
      if (t instanceof ConnectException) {
        return "the connection was refused";
      }
      if (t instanceof SocketTimeoutException) {
        return "the server did not answer in time";
      }
      if (t instanceof NoRemoteRepositoryException) {
        return "no git repository there";
      }
      if (t instanceof NotSupportedException) {
        return "the URL's protocol is not supported";
      }
      String message = String.valueOf(t.getMessage());
      if (message.contains("not authorized")
          || message.contains("Authentication is required")
          || message.contains("401")
          || message.contains("403")) {
        return "the server refused access (a private repository needs credentials)";
      }
    }
    return "the server did not answer as a git server";
  }
}
