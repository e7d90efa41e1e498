package dev.slipway.deploy.forge;

/** The kind of environment an app is, as the forges classify them. */
public enum EnvironmentTier {
  /** A pull request's review app: transient on GitHub, GitLab tier "development". */
  REVIEW,
  STAGING,
  /** GitHub's production_environment, GitLab tier "production". */
  PRODUCTION
}
