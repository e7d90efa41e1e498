package dev.slipway.promotion.promotion;

/** A promotion that cannot even be created (unknown source, unknown artifact, bad targets). */
public class PromotionRefusedException extends RuntimeException {

  private final int status;
  private final String field;

  public PromotionRefusedException(int status, String field, String message) {
    super(message);
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
