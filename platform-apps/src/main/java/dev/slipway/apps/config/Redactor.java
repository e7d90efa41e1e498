package dev.slipway.apps.config;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secret values in log lines and messages with {@value #MARK}. Values shorter than {@value
 * #MIN_LENGTH} chars are ignored, or every {@code on} or {@code 1} in a log would vanish. For a URL
 * with credentials its password is also redacted on its own, and a value is also redacted in its
 * URL-encoded and URL-decoded forms, since that is how they show up inside other URLs.
 */
public final class Redactor {
  public static final String MARK = "[REDACTED]";
  public static final int MIN_LENGTH = 4;

  private static final Redactor NONE = new Redactor(null);

  /** Longest values first in one alternation, so a secret containing another is hidden whole. */
  private final Pattern pattern;

  private Redactor(Pattern pattern) {
    this.pattern = pattern;
  }

  public static Redactor of(Collection<String> secretValues) {
    Set<String> values = new LinkedHashSet<>();
    for (String value : secretValues) {
      if (value == null) {
        continue;
      }
      add(values, value);
      add(values, SecretNames.urlPassword(value));
      add(values, URLEncoder.encode(value, StandardCharsets.UTF_8));
      try {
        add(values, URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // Not URL-encoded after all.
      }
    }
    if (values.isEmpty()) {
      return NONE;
    }
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder alternation = new StringBuilder();
    for (String value : sorted) {
      if (alternation.length() > 0) {
        alternation.append('|');
      }
      alternation.append(Pattern.quote(value));
    }
    return new Redactor(Pattern.compile(alternation.toString()));
  }

  /** Redacts the values of the config vars that {@link SecretNames#looksSecret(String, String)}. */
  public static Redactor forConfig(Map<String, String> config) {
    return forConfig(config, Set.of());
  }

  /**
   * Redacts the values of the config vars that are {@link SecretNames#isSecret(String, String, Set)
   * secret}: named in {@code marked}, or looking secret.
   */
  public static Redactor forConfig(Map<String, String> config, Set<String> marked) {
    List<String> secrets = new ArrayList<>();
    config.forEach(
        (key, value) -> {
          if (SecretNames.isSecret(key, value, marked)) {
            secrets.add(value);
          }
        });
    return of(secrets);
  }

  public static Redactor none() {
    return NONE;
  }

  private static void add(Set<String> values, String value) {
    if (value != null && value.length() >= MIN_LENGTH) {
      values.add(value);
    }
  }

  /** The line with every secret replaced by {@value #MARK}; null stays null. */
  public String redact(String line) {
    if (pattern == null || line == null || line.isEmpty()) {
      return line;
    }
    Matcher matcher = pattern.matcher(line);
    if (!matcher.find()) {
      return line;
    }
    return matcher.replaceAll(Matcher.quoteReplacement(MARK));
  }

  public boolean isEmpty() {
    return pattern == null;
  }
}
