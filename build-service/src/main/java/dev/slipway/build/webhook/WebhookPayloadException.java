package dev.slipway.build.webhook;

/** A signed delivery whose body is not JSON or misses a field Slipway needs; names the field. */
public class WebhookPayloadException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final String field;

  public WebhookPayloadException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
