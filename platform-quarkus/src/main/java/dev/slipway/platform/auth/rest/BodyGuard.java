package dev.slipway.platform.auth.rest;

import dev.slipway.platform.auth.FieldRoles;
import dev.slipway.platform.rest.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Set;

/**
 * Checks a request body in the order that keeps role boundaries visible: first the fields the
 * caller's role may not set ({@code LeastRole}: 403 naming the field), then bean validation (400
 * naming the field). A resource calls it first, in place of {@code @Valid} on the body.
 */
@ApplicationScoped
public class BodyGuard {

  private final SecurityIdentity identity;
  private final Validator validator;

  public BodyGuard(SecurityIdentity identity, Validator validator) {
    this.identity = identity;
    this.validator = validator;
  }

  public void check(Object body) {
    FieldRoles.refused(body, identity::hasRole)
        .ifPresent(
            rule -> {
              throw new ApiException(
                  403,
                  rule.field(),
                  rule.field() + ": only a role of " + rule.role() + " or above may set this");
            });
    Set<ConstraintViolation<Object>> violations = validator.validate(body);
    if (!violations.isEmpty()) {
      throw new ConstraintViolationException(violations);
    }
  }
}
