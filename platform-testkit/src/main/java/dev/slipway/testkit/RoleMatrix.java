package dev.slipway.testkit;

import static io.restassured.RestAssured.given;

import dev.slipway.platform.auth.FieldRoles;
import dev.slipway.platform.auth.Role;
import io.quarkus.arc.Arc;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The role matrix of the service under test: its endpoints, enumerated from the JAX-RS resource
 * classes it runs (so a new endpoint is in the matrix without anyone listing it), with the rule
 * each declares, checked against the role table in docs/api.md, and called with no token and each
 * role.
 */
public final class RoleMatrix {

  /** Rows of docs/api.md that apply to every service (the platform's own endpoints). */
  public static final String EVERY_SERVICE = "every service";

  static final String PUBLIC = "none (public)";
  private static final String TABLE_START = "<!-- role-table:start -->";
  private static final String TABLE_END = "<!-- role-table:end -->";
  private static final String FIELDS_START = "<!-- field-role-table:start -->";
  private static final String FIELDS_END = "<!-- field-role-table:end -->";

  /** One endpoint: method, path, the least role it declares, and how to call it. */
  public record Endpoint(
      String service,
      String httpMethod,
      String path,
      boolean stream,
      String role,
      Method method,
      String accept,
      String contentType,
      Class<?> bodyType) {

    String key() {
      return httpMethod + " " + path + (stream ? " (event-stream)" : "");
    }

    String row() {
      return "| "
          + service
          + " | "
          + httpMethod
          + " | `"
          + path
          + "`"
          + (stream ? " (event-stream)" : "")
          + " | "
          + role
          + " |";
    }
  }

  /** A body field that needs more than its endpoint's role. */
  public record FieldRule(Endpoint endpoint, FieldRoles.Rule rule) {
    String row() {
      return "| "
          + endpoint.service()
          + " | "
          + endpoint.httpMethod()
          + " | `"
          + endpoint.path()
          + "` | `"
          + rule.field()
          + "` | "
          + rule.role()
          + " |";
    }
  }

  private RoleMatrix() {}

  /** This service's name, as the role table spells it. */
  public static String service() {
    return ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
  }

  /** Every resource method the running application serves. */
  public static List<Endpoint> endpoints() {
    String service = service();
    List<Endpoint> out = new ArrayList<>();
    for (Bean<?> bean :
        Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
      Class<?> type = bean.getBeanClass();
      Path classPath = type.getAnnotation(Path.class);
      if (classPath == null) {
        continue;
      }
      for (Method m : type.getMethods()) {
        Optional<String> verb = httpMethod(m);
        if (verb.isEmpty()) {
          continue;
        }
        Path methodPath = m.getAnnotation(Path.class);
        String path = join(classPath.value(), methodPath == null ? "" : methodPath.value());
        String[] produces = produces(m, type);
        boolean stream = Arrays.asList(produces).contains(MediaType.SERVER_SENT_EVENTS);
        String owner =
            type.getPackageName().startsWith("dev.slipway.platform.") ? EVERY_SERVICE : service;
        out.add(
            new Endpoint(
                owner,
                verb.get(),
                path,
                stream,
                rule(m, type),
                m,
                produces.length == 0 ? "*/*" : produces[0],
                consumes(m, type),
                bodyType(m)));
      }
    }
    out.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::key));
    return out;
  }

  /** The field rules of every endpoint's body. */
  public static List<FieldRule> fieldRules(List<Endpoint> endpoints) {
    List<FieldRule> out = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (e.bodyType() != null) {
        for (FieldRoles.Rule r : FieldRoles.of(e.bodyType())) {
          out.add(new FieldRule(e, r));
        }
      }
    }
    return out;
  }

  /** The table rows the code implies, as docs/api.md must list them. */
  public static TreeSet<String> rows(Collection<Endpoint> endpoints) {
    TreeSet<String> rows = new TreeSet<>();
    endpoints.forEach(e -> rows.add(e.row()));
    return rows;
  }

  public static TreeSet<String> fieldRows(Collection<FieldRule> rules) {
    TreeSet<String> rows = new TreeSet<>();
    rules.forEach(r -> rows.add(r.row()));
    return rows;
  }

  /** The rows of docs/api.md's endpoint role table for this service and every service. */
  public static TreeSet<String> documentedRows(String service) {
    return documented(TABLE_START, TABLE_END, service);
  }

  public static TreeSet<String> documentedFieldRows(String service) {
    return documented(FIELDS_START, FIELDS_END, service);
  }

  private static TreeSet<String> documented(String start, String end, String service) {
    String doc = apiDoc();
    int from = doc.indexOf(start);
    int to = doc.indexOf(end);
    if (from < 0 || to < from) {
      throw new AssertionError("docs/api.md has no " + start + " ... " + end + " table");
    }
    TreeSet<String> rows = new TreeSet<>();
    for (String line : doc.substring(from + start.length(), to).split("\n")) {
      String row = line.strip();
      if (row.startsWith("| " + service + " |") || row.startsWith("| " + EVERY_SERVICE + " |")) {
        rows.add(row);
      }
    }
    return rows;
  }

  private static String apiDoc() {
    java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/api.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("docs/api.md not found above " + java.nio.file.Path.of(""));
    }
    try {
      return Files.readString(dir.resolve("docs/api.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls {@code e} as {@code token} (null: no token), with {@code body} when it takes one. */
  public static Response call(Endpoint e, String token, String body) {
    RequestSpecification request =
        given()
            .config(
                RestAssuredConfig.config()
                    .httpClient(
                        HttpClientConfig.httpClientConfig()
                            .setParam("http.connection.timeout", 5_000)
                            .setParam("http.socket.timeout", 10_000)))
            .accept(e.accept());
    if (token != null) {
      request = request.auth().oauth2(token);
    }
    if (body != null) {
      request = request.contentType(e.contentType()).body(body);
    }
    return request.request(e.httpMethod(), concretePath(e));
  }

  /** A body for {@code e}: empty JSON, or JSON setting just {@code field} when given. */
  public static String body(Endpoint e, FieldRoles.Rule field) {
    if (e.bodyType() == null && !List.of("POST", "PUT", "PATCH").contains(e.httpMethod())) {
      return null;
    }
    if (field == null) {
      return "{}";
    }
    Class<?> type = field.component().getType();
    String value;
    if (type == String.class) {
      value = "\"x\"";
    } else if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
      value = "1";
    } else if (type == Boolean.class || type == boolean.class) {
      value = "true";
    } else if (Collection.class.isAssignableFrom(type)) {
      value = "[]";
    } else {
      value = "{}";
    }
    return "{\"" + field.field() + "\": " + value + "}";
  }

  /** The caller's role ranks at least {@code least}. */
  public static boolean holds(Role caller, String least) {
    return caller.grants().contains(least);
  }

  private static String concretePath(Endpoint e) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Parameter p : e.method().getParameters()) {
      PathParam name = p.getAnnotation(PathParam.class);
      if (name == null) {
        continue;
      }
      Class<?> t = p.getType();
      String value;
      if (t == UUID.class) {
        value = UUID.randomUUID().toString();
      } else if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
        value = "987654321";
      } else {
        value = "zz-no-such-thing";
      }
      values.put(name.value(), value);
    }
    String path = e.path();
    for (Map.Entry<String, String> v : values.entrySet()) {
      path = path.replace("{" + v.getKey() + "}", v.getValue());
    }
    return path;
  }

  private static Optional<String> httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
      if (verb != null) {
        return Optional.of(verb.value());
      }
    }
    return Optional.empty();
  }

  private static String rule(Method m, Class<?> type) {
    if (m.isAnnotationPresent(PermitAll.class)) {
      return PUBLIC;
    }
    if (m.isAnnotationPresent(DenyAll.class)) {
      return "denied";
    }
    RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
    if (roles == null && !m.isAnnotationPresent(PermitAll.class)) {
      roles = type.getAnnotation(RolesAllowed.class);
      if (roles == null && type.isAnnotationPresent(PermitAll.class)) {
        return PUBLIC;
      }
    }
    if (roles == null) {
      return "denied";
    }
    // With the role hierarchy an endpoint names its least role; several names mean the least.
    return Arrays.stream(roles.value())
        .map(r -> Role.parse(r).orElseThrow(() -> new AssertionError("unknown role " + r)))
        .min(Comparator.naturalOrder())
        .map(Role::id)
        .orElse("denied");
  }

  private static String[] produces(Method m, Class<?> type) {
    Produces p = m.getAnnotation(Produces.class);
    if (p == null) {
      p = type.getAnnotation(Produces.class);
    }
    return p == null ? new String[0] : p.value();
  }

  private static String consumes(Method m, Class<?> type) {
    Consumes c = m.getAnnotation(Consumes.class);
    if (c == null) {
      c = type.getAnnotation(Consumes.class);
    }
    return c == null || c.value().length == 0 || c.value()[0].contains("*")
        ? MediaType.APPLICATION_JSON
        : c.value()[0];
  }

  private static Class<?> bodyType(Method m) {
    List<Class<? extends Annotation>> bound =
        List.of(
            PathParam.class,
            QueryParam.class,
            HeaderParam.class,
            CookieParam.class,
            FormParam.class,
            MatrixParam.class,
            BeanParam.class,
            Context.class);
    for (Parameter p : m.getParameters()) {
      boolean isBound = bound.stream().anyMatch(p::isAnnotationPresent);
      boolean isRestParam =
          Arrays.stream(p.getAnnotations())
              .anyMatch(
                  a -> a.annotationType().getName().startsWith("org.jboss.resteasy.reactive.Rest"));
      if (!isBound && !isRestParam) {
        return p.getType();
      }
    }
    return null;
  }

  private static String join(String a, String b) {
    String joined = ("/" + a + "/" + b).replaceAll("/+", "/");
    // {name: regex} is still {name} to a reader.
    joined = joined.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
    if (joined.length() > 1 && joined.endsWith("/")) {
      joined = joined.substring(0, joined.length() - 1);
    }
    return joined;
  }
}
