package dev.slipway.promotion.history;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A DORA window such as {@code 30d} or {@code 12h}: between one hour and 365 days. */
public record DoraWindow(String text, Duration length) {

  private static final Pattern FORMAT = Pattern.compile("([1-9][0-9]{0,3})([dh])");
  private static final Duration MAX = Duration.ofDays(365);

  /**
   * Parses {@code Nd} or {@code Nh}.
   *
   * @throws IllegalArgumentException when the text is not one of those or longer than 365 days
   */
  public static DoraWindow parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("must be a number of days or hours, like 30d or 12h");
    }
    long n = Long.parseLong(m.group(1));
    Duration length = m.group(2).equals("d") ? Duration.ofDays(n) : Duration.ofHours(n);
    if (length.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("must be at most 365d");
    }
    return new DoraWindow(m.group(0), length);
  }

  /** The window's length in days, fractional for hour windows. */
  public double days() {
    return length.toSeconds() / 86_400.0;
  }
}
