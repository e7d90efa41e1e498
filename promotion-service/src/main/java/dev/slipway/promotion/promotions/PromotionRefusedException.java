package dev.slipway.promotion.promotions;

/** A promotion that cannot even be created (unknown source, unknown artifact, bad targets). */
public class PromotionRefusedException extends RuntimeException {

  private final int status;
  private final String field;

  /** The message is prefixed with the field ("targets: …"), as every refusal names its field. */
  public PromotionRefusedException(int status, String field, String message) {
    super(field == null || message.startsWith(field + ":") ? message : field + ": " + message);
    this.status = status;
    this.field = field;
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }
}
