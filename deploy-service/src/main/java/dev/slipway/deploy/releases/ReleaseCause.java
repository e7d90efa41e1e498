package dev.slipway.deploy.releases;

import java.util.Locale;

/** What made a release. */
public enum ReleaseCause {
  /** A green build of the pipeline's branch, released to staging by the auto-deploy policy. */
  AUTO_DEPLOY,
  /** A promotion copied another app's artifact here. */
  PROMOTION,
  /** Config vars changed: same artifact, new config. */
  CONFIG_CHANGE,
  /** An earlier release's artifact and config again. */
  ROLLBACK,
  /** A pull request's build deployed to its review app. */
  REVIEW_APP,
  /** Someone released an artifact by hand. */
  MANUAL;

  /** Whether the app's config vars become this release's (Heroku's rollback restores them). */
  public boolean restoresConfig() {
    return this == ROLLBACK;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ReleaseCause of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
