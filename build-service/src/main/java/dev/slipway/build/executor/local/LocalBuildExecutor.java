package dev.slipway.build.executor.local;

import dev.slipway.apps.artifact.ArchiveException;
import dev.slipway.apps.artifact.Archives;
import dev.slipway.apps.buildpack.BuiltinBuildpacks;
import dev.slipway.apps.manifest.AppManifest;
import dev.slipway.apps.manifest.Buildpack;
import dev.slipway.apps.manifest.ManifestException;
import dev.slipway.apps.process.Channel;
import dev.slipway.apps.process.ChildProcesses;
import dev.slipway.apps.process.Ending;
import dev.slipway.apps.process.HostEnvironment;
import dev.slipway.apps.process.LineSink;
import dev.slipway.apps.process.ProcessResult;
import dev.slipway.apps.process.ProcessSpec;
import dev.slipway.apps.process.RunningProcess;
import dev.slipway.apps.process.Sandbox;
import dev.slipway.apps.process.SandboxLimits;
import dev.slipway.apps.process.SandboxSupport;
import dev.slipway.build.executor.BuildExecutor;
import dev.slipway.build.executor.BuildFailure;
import dev.slipway.build.executor.BuildFailure.Kind;
import dev.slipway.build.executor.BuildJob;
import dev.slipway.build.executor.BuildLog;
import dev.slipway.build.executor.BuildProduct;
import dev.slipway.platform.yaml.SafeYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * The local build executor: Heroku's buildpack contract ({@code bin/detect}, {@code bin/compile
 * BUILD_DIR CACHE_DIR ENV_DIR}, {@code bin/release}) run as child processes in the build's
 * workspace, then the built tree packed into a slug. Every buildpack process runs in the sandbox
 * (host network for package registries; writable: the workspace and the cache it is entitled to).
 */
public final class LocalBuildExecutor implements BuildExecutor {

  /** The stack name local builds report: the host's own tools. */
  public static final String STACK = "slipway-local";

  /** A release document is a few lines; a megabyte is a runaway buildpack. */
  private static final int MAX_RELEASE_YAML_CHARS = 1024 * 1024;

  private static final SafeYaml RELEASE_YAML = SafeYaml.limitedTo(MAX_RELEASE_YAML_CHARS);
  private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Map<String, String> ALIASES =
      Map.of(
          "heroku/java", "maven",
          "heroku/maven", "maven",
          "maven", "maven",
          "heroku/nodejs", "nodejs",
          "nodejs", "nodejs");

  private final Path buildpacksDir;
  private final Path cacheRoot;
  private final long maxSlugBytes;
  private final List<Path> readOnly;
  private final SandboxLimits limits;

  /**
   * @param buildpacksDir where the built-in buildpacks are extracted
   * @param cacheRoot one cache directory per pipeline lives under it, kept between builds
   * @param readOnly host paths buildpacks may also read (e.g. a pre-populated Maven repository)
   */
  public LocalBuildExecutor(
      Path buildpacksDir,
      Path cacheRoot,
      long maxSlugBytes,
      List<Path> readOnly,
      SandboxLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.buildpacksDir = buildpacksDir;
    this.cacheRoot = cacheRoot;
    this.maxSlugBytes = maxSlugBytes;
    this.readOnly = List.copyOf(readOnly);
  }

  @Override
  public BuildProduct build(BuildJob job, BuildLog log) throws BuildFailure {
    SandboxSupport sandboxing = SandboxSupport.current();
    if (!sandboxing.available()) {
      if (job.fork()) {
        throw new BuildFailure(Kind.ERRORED, sandboxing.refusal());
      }
      log.line("-----> Warning: " + sandboxing.summary());
    }
    Path buildDir = job.sourceDir();
    AppManifest manifest;
    try {
      manifest = AppManifest.read(buildDir);
    } catch (ManifestException e) {
      throw new BuildFailure(Kind.FAILED, e.getMessage());
    }
    Map<String, Path> builtins;
    try {
      builtins = BuiltinBuildpacks.extract(buildpacksDir);
    } catch (IOException e) {
      throw new BuildFailure(Kind.ERRORED, "built-in buildpacks unavailable: " + e.getMessage());
    }
    Path workspace = buildDir.getParent();
    Path envDir = workspace.resolve("env");
    // A fork's build never sees the cache main-branch builds use (cache poisoning): it starts
    // with an empty one of its own that goes with its workspace.
    Path cacheDir =
        job.fork()
            ? workspace.resolve("fork-cache")
            : cacheRoot.resolve(job.pipelineId().toString());
    try {
      writeEnvDir(envDir, job.configVars());
      Files.createDirectories(cacheDir);
    } catch (IOException e) {
      throw new BuildFailure(Kind.ERRORED, "could not prepare the workspace: " + e.getMessage());
    }
    Map<String, String> env = new HashMap<>(HostEnvironment.essentials());
    env.put("STACK", STACK);
    env.put("SOURCE_VERSION", job.commitSha());
    // Reproducible builds' convention: tools that stamp a time use the commit's, not the clock's.
    env.put("SOURCE_DATE_EPOCH", Long.toString(job.sourceDate().getEpochSecond()));
    List<Path> visible = new ArrayList<>(builtins.values());
    visible.addAll(readOnly);
    Sandbox sandbox =
        Sandbox.writing(workspace, cacheDir)
            .withLimits(limits)
            .withReadOnly(visible)
            .withHome(cacheDir)
            .untrusted(job.fork());

    List<Map.Entry<String, Path>> buildpacks =
        chooseBuildpacks(manifest, builtins, buildDir, env, sandbox, job, log);
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Path> bp : buildpacks) {
      names.add(bp.getKey());
      ProcessResult compiled =
          run(
              List.of(
                  bp.getValue().resolve("bin/compile").toString(),
                  buildDir.toString(),
                  cacheDir.toString(),
                  envDir.toString()),
              buildDir,
              env,
              sandbox,
              job,
              log);
      if (!compiled.succeeded()) {
        throw failure(compiled, "buildpack " + bp.getKey() + ": compile failed", job);
      }
    }
    Map<String, String> processTypes = new LinkedHashMap<>();
    Map.Entry<String, Path> last = buildpacks.get(buildpacks.size() - 1);
    List<String> releaseOutput = new ArrayList<>();
    StringBuilder releaseYaml = new StringBuilder();
    ProcessResult released =
        runWithChannels(
            List.of(last.getValue().resolve("bin/release").toString(), buildDir.toString()),
            buildDir,
            env,
            sandbox,
            job,
            (channel, line) -> {
              releaseOutput.add(line);
              if (channel == Channel.STDOUT && releaseYaml.length() <= MAX_RELEASE_YAML_CHARS) {
                releaseYaml.append(line).append('\n');
              }
            });
    if (!released.succeeded()) {
      releaseOutput.forEach(log::line);
      throw failure(released, "buildpack " + last.getKey() + ": release failed", job);
    }
    try {
      // Heroku's buildpack API: bin/release prints YAML whose default_process_types maps each
      // process type to its command.
      processTypes.putAll(RELEASE_YAML.scalarsOf(releaseYaml.toString(), "default_process_types"));
    } catch (SafeYaml.YamlException e) {
      releaseOutput.forEach(log::line);
      throw new BuildFailure(
          Kind.FAILED,
          "buildpack "
              + last.getKey()
              + ": bin/release printed no valid YAML default_process_types ("
              + e.getMessage()
              + ")");
    }
    if (manifest.hasProcfile()) {
      // Heroku: a Procfile replaces the buildpack's default process types.
      processTypes = new LinkedHashMap<>(manifest.procfile().processTypes());
    }
    log.line("-----> Discovering process types");
    log.line(
        "       Procfile declares types -> "
            + (processTypes.isEmpty() ? "(none)" : String.join(", ", processTypes.keySet())));

    Path slug = workspace.resolve("slug.tar.gz");
    try {
      log.line("-----> Compressing...");
      Archives.pack(buildDir, slug, p -> !p.startsWith(".git"));
      long size = Files.size(slug);
      if (size > maxSlugBytes) {
        throw new BuildFailure(
            Kind.FAILED, "slug is " + mb(size) + ", above the " + mb(maxSlugBytes) + " limit");
      }
      log.line("       Done: " + mb(size));
    } catch (ArchiveException e) {
      // The build left what no slug may hold (an absolute or escaping symlink): the app's doing.
      throw new BuildFailure(Kind.FAILED, "slug: " + e.getMessage());
    } catch (IOException e) {
      throw new BuildFailure(Kind.ERRORED, "could not pack the slug: " + e.getMessage());
    }
    return new BuildProduct(slug, null, null, processTypes, STACK, names);
  }

  private List<Map.Entry<String, Path>> chooseBuildpacks(
      AppManifest manifest,
      Map<String, Path> builtins,
      Path buildDir,
      Map<String, String> env,
      Sandbox sandbox,
      BuildJob job,
      BuildLog log)
      throws BuildFailure {
    List<Map.Entry<String, Path>> chosen = new ArrayList<>();
    List<Buildpack> declared = manifest.appJson().buildpacks();
    if (!declared.isEmpty()) {
      for (Buildpack bp : declared) {
        chosen.add(resolve(bp.url(), builtins, buildDir));
      }
      log.line("-----> Using buildpacks from app.json: " + names(chosen));
      return chosen;
    }
    for (String name : BuiltinBuildpacks.names()) {
      Path dir = builtins.get(name);
      List<String> detected = new ArrayList<>();
      ProcessResult r =
          run(
              List.of(dir.resolve("bin/detect").toString(), buildDir.toString()),
              buildDir,
              env,
              sandbox,
              job,
              detected::add);
      if (r.ending() == Ending.CANCELLED || r.ending() == Ending.TIMED_OUT) {
        throw failure(r, "detect", job);
      }
      if (r.succeeded()) {
        log.line(
            "-----> " + (detected.isEmpty() ? name : detected.get(0).trim()) + " app detected");
        chosen.add(Map.entry(name, dir));
        return chosen;
      }
    }
    throw new BuildFailure(
        Kind.FAILED,
        "no buildpack detected this app: the built-in ones look for pom.xml (maven) and"
            + " package.json (nodejs); or list buildpacks in app.json");
  }

  private static Map.Entry<String, Path> resolve(
      String url, Map<String, Path> builtins, Path buildDir) throws BuildFailure {
    String builtin = ALIASES.get(url.toLowerCase(Locale.ROOT));
    if (builtin != null) {
      return Map.entry(builtin, builtins.get(builtin));
    }
    if (url.contains("://")) {
      throw new BuildFailure(
          Kind.FAILED,
          "app.json: buildpacks: "
              + url
              + " is not supported: use heroku/java, heroku/nodejs or a path inside the"
              + " repository");
    }
    Path dir = buildDir.resolve(url).normalize();
    if (!dir.startsWith(buildDir) || !Files.isExecutable(dir.resolve("bin/compile"))) {
      throw new BuildFailure(
          Kind.FAILED,
          "app.json: buildpacks: "
              + url
              + " is not a buildpack inside the repository (needs an executable bin/compile)");
    }
    return Map.entry(buildDir.relativize(dir).toString(), dir);
  }

  private static String names(List<Map.Entry<String, Path>> buildpacks) {
    return String.join(", ", buildpacks.stream().map(Map.Entry::getKey).toList());
  }

  private static ProcessResult run(
      List<String> command,
      Path dir,
      Map<String, String> env,
      Sandbox sandbox,
      BuildJob job,
      BuildLog log)
      throws BuildFailure {
    return runWithChannels(command, dir, env, sandbox, job, (channel, line) -> log.line(line));
  }

  /** Runs a buildpack step whose output lines keep saying which stream they came from. */
  private static ProcessResult runWithChannels(
      List<String> command,
      Path dir,
      Map<String, String> env,
      Sandbox sandbox,
      BuildJob job,
      LineSink sink)
      throws BuildFailure {
    Duration left = Duration.between(Instant.now(), job.deadline());
    if (left.isNegative() || left.isZero()) {
      throw new BuildFailure(Kind.ERRORED, "build exceeded its timeout");
    }
    RunningProcess process;
    try {
      process = ChildProcesses.start(new ProcessSpec(command, dir, env, left, sandbox), sink);
    } catch (IOException e) {
      throw new BuildFailure(
          Kind.ERRORED, "could not start " + command.get(0) + ": " + e.getMessage());
    }
    Runnable stop = process::cancel;
    job.cancellation().onCancel(stop);
    try {
      return process.completion().get();
    } catch (InterruptedException e) {
      process.cancel();
      Thread.currentThread().interrupt();
      throw new BuildFailure(Kind.ERRORED, "interrupted");
    } catch (ExecutionException e) {
      throw new BuildFailure(Kind.ERRORED, "process failed: " + e.getCause());
    } finally {
      job.cancellation().forget(stop);
    }
  }

  private static BuildFailure failure(ProcessResult r, String what, BuildJob job) {
    return switch (r.ending()) {
      case CANCELLED -> new BuildFailure(Kind.CANCELLED, "cancelled");
      case TIMED_OUT -> new BuildFailure(Kind.ERRORED, "build exceeded its timeout");
      case EXITED -> new BuildFailure(Kind.FAILED, what + " (exit " + r.exitCode() + ")");
    };
  }

  /** Heroku's ENV_DIR: one file per config var, named after it, holding its value. */
  private static void writeEnvDir(Path envDir, Map<String, String> vars) throws IOException {
    Files.createDirectories(envDir);
    for (Map.Entry<String, String> v : vars.entrySet()) {
      if (CONFIG_KEY.matcher(v.getKey()).matches()) {
        Files.writeString(envDir.resolve(v.getKey()), v.getValue(), StandardCharsets.UTF_8);
      }
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
  }
}
