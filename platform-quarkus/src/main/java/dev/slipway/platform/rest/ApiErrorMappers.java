package dev.slipway.platform.rest;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps refusals and validation failures to {@link ApiError} answers naming the field. */
public class ApiErrorMappers {

  @ServerExceptionMapper
  public Response apiException(ApiException e) {
    return json(e.status(), new ApiError(e.status(), e.getMessage(), e.field()));
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e) {
    ConstraintViolation<?> first =
        e.getConstraintViolations().stream()
            .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
            .orElse(null);
    if (first == null) {
      return json(400, new ApiError(400, "invalid request", null));
    }
    String field = fieldName(first.getPropertyPath());
    return json(400, new ApiError(400, field + ": " + first.getMessage(), field));
  }

  /**
   * A JSON value of the wrong type (an object where a string belongs, a word where a number does):
   * named by its JSON path, in the same shape as every other refusal.
   */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e) {
    String field = jsonPath(e);
    return json(400, new ApiError(400, field + ": is not of the expected type", field));
  }

  /** Where in the body a mapping failed ({@code couplings[0].app_name}), or {@code body}. */
  static String jsonPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "body" : path.toString();
  }

  /** The property path without the method and parameter it starts with. */
  private static String fieldName(Path path) {
    String name = null;
    for (Path.Node node : path) {
      // An element of a list or map carries its index or key on the node that follows it.
      if (name != null && node.isInIterable()) {
        if (node.getIndex() != null) {
          name = name + "[" + node.getIndex() + "]";
        } else if (node.getKey() != null) {
          name = name + "[" + node.getKey() + "]";
        }
      }
      if (node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
        name = name == null ? node.getName() : name + "." + node.getName();
      }
    }
    return name == null ? "body" : snakeCase(name);
  }

  /** The API speaks snake_case JSON; Java properties are camelCase. */
  private static String snakeCase(String property) {
    return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static Response json(int status, ApiError error) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
  }
}
