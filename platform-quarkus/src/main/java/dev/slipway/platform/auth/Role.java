package dev.slipway.platform.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What an API token may do; each role includes the ones below it. */
public enum Role {
  VIEWER(Roles.VIEWER),
  DEVELOPER(Roles.DEVELOPER),
  ADMIN(Roles.ADMIN);

  private final String id;

  Role(String id) {
    this.id = id;
  }

  /** The name used in {@code @RolesAllowed}, the API and the database. */
  public String id() {
    return id;
  }

  /** The role names an identity with this role holds: itself and every lesser role. */
  public Set<String> grants() {
    return Arrays.stream(values())
        .filter(r -> r.ordinal() <= ordinal())
        .map(Role::id)
        .collect(Collectors.toUnmodifiableSet());
  }

  public static Optional<Role> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.id.equals(wanted)).findFirst();
  }
}
