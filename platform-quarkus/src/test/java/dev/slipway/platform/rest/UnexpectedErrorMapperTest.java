package dev.slipway.platform.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.platform.json.JsonLimits;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** What a caller sees when a request path fails in a way no other mapper answers. */
class UnexpectedErrorMapperTest {

  private final UnexpectedErrorMapper mapper = new UnexpectedErrorMapper();

  @Test
  void anUnexpectedExceptionIs500WithACorrelationIdAndNoInternalDetail() {
    Response answer =
        mapper.unexpected(
            new IllegalStateException("password=hunter2 at jdbc:postgresql://10.0.0.5/slipway"));

    assertEquals(500, answer.getStatus());
    ApiError error = (ApiError) answer.getEntity();
    assertNotNull(error.correlationId());
    assertTrue(error.message().contains(error.correlationId()), error.message());
    assertFalse(error.message().contains("hunter2"), error.message());
    assertFalse(error.message().contains("IllegalState"), error.message());
    assertEquals(null, error.field());
  }

  @Test
  void eachUnexpectedErrorGetsItsOwnCorrelationId() {
    ApiError first = (ApiError) mapper.unexpected(new RuntimeException()).getEntity();
    ApiError second = (ApiError) mapper.unexpected(new RuntimeException()).getEntity();
    assertFalse(first.correlationId().equals(second.correlationId()));
  }

  @Test
  void aBodyTooDeepToReadIs400NamingTheBody() throws Exception {
    String deep = "[".repeat(JsonLimits.MAX_NESTING_DEPTH + 1);
    Exception cause = null;
    try {
      JsonLimits.newMapper().readTree(deep);
    } catch (JsonProcessingException e) {
      cause = e;
    }
    Response answer =
        mapper.unexpected(new WebApplicationException(cause, Response.Status.BAD_REQUEST));

    assertEquals(400, answer.getStatus());
    ApiError error = (ApiError) answer.getEntity();
    assertEquals("body", error.field());
    assertTrue(error.message().contains("nested more than 100 levels"), error.message());
  }

  /** A body with one nested number, as a request record would hold it. */
  public record Outer(Inner policy) {}

  /** The nested number. */
  public record Inner(int approvals) {}

  @Test
  void aNumberTooLargeForItsFieldIs400NamingThatField() {
    Exception cause = null;
    try {
      JsonLimits.newMapper().readValue("{\"policy\": {\"approvals\": 99999999999}}", Outer.class);
    } catch (Exception e) {
      cause = e;
    }
    Response answer =
        mapper.unexpected(new WebApplicationException(cause, Response.Status.BAD_REQUEST));

    assertEquals(400, answer.getStatus());
    ApiError error = (ApiError) answer.getEntity();
    assertEquals("policy.approvals", error.field());
    assertTrue(error.message().startsWith("policy.approvals: "), error.message());
  }

  @Test
  void anAnswerJaxRsAlreadyChoseIsKept() {
    assertEquals(404, mapper.unexpected(new NotFoundException()).getStatus());
  }
}
