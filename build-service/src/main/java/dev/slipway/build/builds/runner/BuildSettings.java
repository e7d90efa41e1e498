package dev.slipway.build.builds.runner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How builds run here: see docs/operations.md for each setting. */
@ConfigMapping(prefix = "slipway.builds")
public interface BuildSettings {

  /** Builds running at once; 0 means one per core. */
  @WithDefault("0")
  int workers();

  /** Whether this instance runs builds at all (intake-only instances set false). */
  @WithName("workers-enabled")
  @WithDefault("true")
  boolean workersEnabled();

  /** Longest a build may take from start to artifact (Heroku: 15 min). */
  @WithDefault("15m")
  Duration timeout();

  /** Longest a git fetch may stall. */
  @WithName("fetch-timeout")
  @WithDefault("2m")
  Duration fetchTimeout();

  /** How often idle workers look for queued builds another instance may have queued. */
  @WithName("poll-interval")
  @WithDefault("500ms")
  Duration pollInterval();

  /** Per-build workspaces and per-pipeline caches. */
  @WithName("work-dir")
  Path workDir();

  /** Largest slug accepted (Heroku: 500 MB). */
  @WithName("max-slug-bytes")
  @WithDefault("524288000")
  long maxSlugBytes();

  /** Config vars every non-fork build gets in ENV_DIR (e.g. a Maven mirror). */
  @WithName("config-vars")
  Map<String, String> configVars();

  /** Which executor runs builds: {@code local} or {@code kubernetes}. */
  @WithDefault("local")
  String executor();

  /** The effective number of workers. */
  default int parallelism() {
    return workers() > 0 ? workers() : Runtime.getRuntime().availableProcessors();
  }

  /** Optional override of where built-in buildpacks are extracted. */
  @WithName("buildpacks-dir")
  Optional<Path> buildpacksDir();
}
