package dev.slipway.build.builds;

/** What asked for a build. */
public enum BuildTrigger {
  /** A push to a branch the pipeline follows. */
  PUSH,
  /** A pull request opened, reopened or updated. */
  PULL_REQUEST,
  /** {@code POST /builds}. */
  MANUAL
}
