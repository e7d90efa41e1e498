package dev.slipway.testing.runs.runner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How test runs run here: see docs/operations.md for each setting. */
@ConfigMapping(prefix = "slipway.testruns")
public interface TestRunSettings {

  /** Runs executing at once; 0 means one per core. */
  @WithDefault("0")
  int workers();

  /** Whether this instance runs tests at all. */
  @WithName("workers-enabled")
  @WithDefault("true")
  boolean workersEnabled();

  /** Longest a run may take from claim to the last node's end (Heroku CI: 60 min). */
  @WithDefault("60m")
  Duration timeout();

  /** How often idle workers look for runs another instance may have queued. */
  @WithName("poll-interval")
  @WithDefault("500ms")
  Duration pollInterval();

  /** Per-run workspaces, per-pipeline caches and the extracted buildpacks. */
  @WithName("work-dir")
  Path workDir();

  /** Largest unpacked source bundle accepted. */
  @WithName("max-bundle-bytes")
  @WithDefault("1073741824")
  long maxBundleBytes();

  /** Most parallel nodes one run may ask for (app.json formation.test.quantity). */
  @WithName("max-nodes")
  @WithDefault("16")
  int maxNodes();

  /** Where nodes' JUnit XML reports are looked for, relative to the app. */
  @WithName("junit-globs")
  @WithDefault("**/surefire-reports/*.xml,**/junit*.xml")
  List<String> junitGlobs();

  /** Config vars every non-fork run gets in its environment and ENV_DIR (e.g. a Maven mirror). */
  @WithName("config-vars")
  Map<String, String> configVars();

  /** Which executor runs tests; only {@code local} exists so far. */
  @WithDefault("local")
  String executor();

  /** Optional override of where built-in buildpacks are extracted. */
  @WithName("buildpacks-dir")
  Optional<Path> buildpacksDir();

  /** The effective number of workers. */
  default int parallelism() {
    return workers() > 0 ? workers() : Runtime.getRuntime().availableProcessors();
  }
}
