package dev.slipway.platform.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The field-level role rules of a request body type ({@link LeastRole}), and which field a caller
 * may not set; {@code BodyGuard} applies them to requests, the role matrix test to the docs.
 */
public final class FieldRoles {

  /** One rule: setting {@code field} (its JSON name) needs {@code role}. */
  public record Rule(String field, String role, RecordComponent component) {}

  private static final Map<Class<?>, List<Rule>> RULES = new ConcurrentHashMap<>();

  private FieldRoles() {}

  /** The rules of a body type: its record components annotated with {@link LeastRole}. */
  public static List<Rule> of(Class<?> bodyType) {
    return RULES.computeIfAbsent(bodyType, FieldRoles::scan);
  }

  /**
   * The first field set in {@code body} that an identity holding {@code hasRole} may not set, with
   * the role it needs.
   */
  public static Optional<Rule> refused(Object body, Predicate<String> hasRole) {
    if (body == null) {
      return Optional.empty();
    }
    for (Rule rule : of(body.getClass())) {
      Object value;
      try {
        value = rule.component().getAccessor().invoke(body);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + rule.field(), e);
      }
      if (value != null && !hasRole.test(rule.role())) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  private static List<Rule> scan(Class<?> type) {
    if (!type.isRecord()) {
      return List.of();
    }
    List<Rule> rules = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      LeastRole least = c.getAnnotation(LeastRole.class);
      if (least != null) {
        // @JsonProperty does not target record components; it lands on the field.
        JsonProperty json = jsonProperty(type, c);
        String name = json != null && !json.value().isEmpty() ? json.value() : c.getName();
        c.getAccessor().setAccessible(true);
        rules.add(new Rule(name, least.value(), c));
      }
    }
    return List.copyOf(rules);
  }

  private static JsonProperty jsonProperty(Class<?> type, RecordComponent c) {
    try {
      return type.getDeclaredField(c.getName()).getAnnotation(JsonProperty.class);
    } catch (NoSuchFieldException e) {
      return c.getAccessor().getAnnotation(JsonProperty.class);
    }
  }
}
