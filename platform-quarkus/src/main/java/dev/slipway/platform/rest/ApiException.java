package dev.slipway.platform.rest;

/** A request Slipway refuses, with the status code and the field at fault. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String field;

  public ApiException(int status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public static ApiException badField(String field, String message) {
    return new ApiException(400, field, field + ": " + message);
  }

  /** Throws a 400 naming {@code field} when a validation rule found a problem with it. */
  public static void check(String field, java.util.Optional<String> problem) {
    if (problem.isPresent()) {
      throw badField(field, problem.get());
    }
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, null, message);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }
}
