package dev.slipway.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.slipway.local.LocalInfrastructure;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a service's hostile-input catalogue: each case is a request a user could send, the status it
 * must get and the field its message must name; around every case the service's state (row counts
 * and outbox events, as the test chooses them) must not change, and no case may ever be answered
 * with a 500.
 */
public final class HostileInput {

  private HostileInput() {}

  /** One hostile request and the refusal it must get. */
  public record Case(String name, int status, String field, Supplier<Response> request) {}

  /**
   * An admin's request whose hostile part is its path or query, sent exactly as written (no
   * re-encoding, so {@code %00} arrives as a NUL byte), with {@code jsonBody} unless null.
   */
  public static Case path(
      String name, int status, String field, String method, String path, String jsonBody) {
    return new Case(
        name,
        status,
        field,
        () -> {
          RequestSpecification request =
              RestAssured.given()
                  .auth()
                  .oauth2(SlipwayInfrastructure.ADMIN_TOKEN)
                  .urlEncodingEnabled(false);
          if (jsonBody != null) {
            request = request.contentType(ContentType.JSON).body(jsonBody);
          }
          return request.request(method, path);
        });
  }

  /** As {@link #path(String, int, String, String, String, String)}, without a body. */
  public static Case path(String name, int status, String field, String method, String path) {
    return path(name, status, field, method, path, null);
  }

  /** Asserts every case: its status, its message naming the field, and nothing changed. */
  public static void assertRefused(List<Case> catalogue, Supplier<Map<String, Long>> state) {
    List<String> wrong = new ArrayList<>();
    for (Case c : catalogue) {
      Map<String, Long> before = state.get();
      Response response = c.request().get();
      Map<String, Long> after = state.get();
      int status = response.statusCode();
      String body = response.asString();
      if (status != c.status()) {
        wrong.add(c.name() + ": expected " + c.status() + " but got " + status + " " + body);
        continue;
      }
      if (c.field() != null) {
        String field = response.jsonPath().getString("field");
        String message = response.jsonPath().getString("message");
        if (!c.field().equals(field) || message == null || !message.contains(c.field())) {
          wrong.add(c.name() + ": the answer does not name the field " + c.field() + ": " + body);
          continue;
        }
      }
      if (!before.equals(after)) {
        wrong.add(c.name() + ": state changed from " + before + " to " + after);
      }
    }
    if (!wrong.isEmpty()) {
      fail(
          wrong.size()
              + " hostile input case(s) not refused cleanly:\n"
              + String.join("\n", wrong));
    }
  }

  /** Sends every case and fails naming each one a 500 answered: no hostile input is our fault. */
  public static void assertNoServerError(List<Case> catalogue) {
    List<String> errors = new ArrayList<>();
    for (Case c : catalogue) {
      assertTrue(c.status() >= 200 && c.status() < 500, c.name() + " must expect a non-5xx");
      int status = c.request().get().statusCode();
      if (status >= 500) {
        errors.add(c.name() + " answered " + status);
      }
    }
    assertEquals(List.of(), errors, "hostile input answered with a server error");
  }

  /** Counts rows with each query (a {@code select count(*)}), keyed by the query. */
  public static Map<String, Long> counts(List<String> queries, Object... params) {
    LocalInfrastructure infra = SlipwayInfrastructure.get();
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection c =
        DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password())) {
      for (String query : queries) {
        try (PreparedStatement s = c.prepareStatement(query)) {
          int wanted = (int) query.chars().filter(ch -> ch == '?').count();
          for (int i = 0; i < wanted; i++) {
            s.setObject(i + 1, params[i]);
          }
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            counts.put(query, rs.getLong(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not count rows: " + e.getMessage(), e);
    }
    return counts;
  }
}
