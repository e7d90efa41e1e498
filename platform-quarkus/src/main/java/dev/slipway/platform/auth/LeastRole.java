package dev.slipway.platform.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role that may set this field of a request body (present and not null), on top of the
 * endpoint's own role: how security-posture fields become admin-only. Enforced by {@link
 * FieldRoles} through {@code BodyGuard}, before the body is validated or used.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface LeastRole {

  /** One of {@link Roles}. */
  String value();
}
