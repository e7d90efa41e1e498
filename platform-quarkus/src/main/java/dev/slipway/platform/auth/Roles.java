package dev.slipway.platform.auth;

/** Role names as constants, for {@code @RolesAllowed} on every endpoint. */
public final class Roles {

  public static final String VIEWER = "viewer";
  public static final String DEVELOPER = "developer";
  public static final String ADMIN = "admin";

  private Roles() {}
}
