package dev.slipway.deploy.reviewapps;

import java.util.Locale;
import java.util.Set;

/** Heroku's review-app statuses. */
public enum ReviewAppStatus {
  /** Waiting for a build (or, from a fork, for an admin's approval). */
  PENDING,
  /** Its first release is being deployed. */
  CREATING,
  /** Running. */
  CREATED,
  /** Being torn down. */
  DELETING,
  DELETED,
  /** Its deploy or teardown failed. */
  ERRORED;

  public boolean isTerminal() {
    return this == DELETED;
  }

  /** Whether the review app may move from this status to {@code next}. */
  public boolean canBecome(ReviewAppStatus next) {
    return switch (this) {
      case PENDING -> Set.of(CREATING, DELETING, ERRORED).contains(next);
      case CREATING -> Set.of(CREATED, DELETING, ERRORED).contains(next);
      case CREATED -> Set.of(CREATED, DELETING, ERRORED).contains(next);
      case ERRORED -> Set.of(CREATING, CREATED, DELETING).contains(next);
      case DELETING -> Set.of(DELETED, ERRORED).contains(next);
      case DELETED -> false;
    };
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ReviewAppStatus of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
