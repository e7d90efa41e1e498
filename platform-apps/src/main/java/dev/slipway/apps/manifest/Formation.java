package dev.slipway.apps.manifest;

/**
 * How many processes of one type to run and how big, from app.json {@code formation}.
 *
 * @param quantity non-negative; app.json defaults it to 1 when omitted
 * @param size the dyno size name as written (e.g. {@code standard-1x}), or null when unspecified
 */
public record Formation(int quantity, String size) {
  public Formation {
    if (quantity < 0) {
      throw new IllegalArgumentException("quantity must be non-negative: " + quantity);
    }
  }
}
