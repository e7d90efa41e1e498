package dev.slipway.platform.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.slipway.platform.json.JsonLimits;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The last resort on every service's request paths: an exception no other mapper answers becomes a
 * 500 carrying only a correlation id; the detail goes to the log under that id, never to the
 * caller.
 */
public class UnexpectedErrorMapper {

  private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
  public Response unexpected(Throwable e) {
    if (e instanceof WebApplicationException w) {
      if (w.getCause() instanceof StreamConstraintsException limit) {
        return json(400, "body: " + JsonLimits.describe(limit), "body");
      }
      // A number too large for its field (an int given 99999999999): named by its path.
      if (w.getCause() instanceof JsonMappingException m
          && m.getCause() instanceof InputCoercionException) {
        String field = ApiErrorMappers.jsonPath(m);
        return json(400, field + ": is out of range", field);
      }
      if (w.getCause() instanceof JsonProcessingException) {
        return json(400, "body: is not valid JSON", "body");
      }
      // A JAX-RS answer someone already chose (404 for an unknown path, 415, 413).
      return w.getResponse();
    }
    String id = UUID.randomUUID().toString();
    LOG.errorf(e, "Unexpected error %s", id);
    return Response.status(500)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(
            new ApiError(
                500, "internal error; quote correlation id " + id + " to your operator", null, id))
        .build();
  }

  private static Response json(int status, String message, String field) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(status, message, field))
        .build();
  }
}
