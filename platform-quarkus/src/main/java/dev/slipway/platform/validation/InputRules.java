package dev.slipway.platform.validation;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules every service applies to user-chosen names and values at the edge. Each rule answers
 * what is wrong (without the field name; the caller knows the field), or empty when the value is
 * fine. Pure, so it is tested as a table.
 */
public final class InputRules {

  /** Largest config var value, in UTF-8 bytes. */
  public static final int MAX_CONFIG_VALUE_BYTES = 32 * 1024;

  /** Largest sum of an app's config var names and values, in UTF-8 bytes. */
  public static final int MAX_CONFIG_TOTAL_BYTES = 256 * 1024;

  /** Longest branch name accepted. */
  public static final int MAX_BRANCH_LENGTH = 255;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern REVIEW_APP_FORM = Pattern.compile(".+-pr-[0-9]+");
  private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
  private static final Pattern PROCESS_TYPE = Pattern.compile("[A-Za-z0-9_-]{1,63}");

  private InputRules() {}

  /**
   * An app or pipeline name: a DNS-1123 label starting with a letter (it becomes a host name and
   * part of namespace names), not a namespace Kubernetes or Slipway owns, and not of the form
   * {@code <pipeline>-pr-<n>} that review apps take.
   */
  public static Optional<String> name(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is required");
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      return Optional.of(
          "must be at most 63 lower-case letters, digits or dashes, starting with a letter and"
              + " not ending with a dash");
    }
    if (name.equals("default") || name.startsWith("kube-") || name.startsWith("slipway")) {
      return Optional.of("is reserved (default, kube-* and slipway* belong to the platform)");
    }
    if (REVIEW_APP_FORM.matcher(name).matches()) {
      return Optional.of("has the form <pipeline>-pr-<number> that review apps use");
    }
    return Optional.empty();
  }

  /** A branch name as {@code git check-ref-format --branch} accepts it. */
  public static Optional<String> branch(String branch) {
    if (branch == null || branch.isEmpty()) {
      return Optional.of("is required");
    }
    if (branch.length() > MAX_BRANCH_LENGTH) {
      return Optional.of("is longer than " + MAX_BRANCH_LENGTH + " characters");
    }
    for (int i = 0; i < branch.length(); i++) {
      char c = branch.charAt(i);
      if (c < 0x20 || c == 0x7f || " ~^:?*[\\".indexOf(c) >= 0) {
        return Optional.of("must not contain spaces, control characters or any of ~^:?*[\\");
      }
    }
    if (branch.startsWith("-")) {
      return Optional.of("must not start with '-'");
    }
    if (branch.equals("@") || branch.contains("@{")) {
      return Optional.of("must not be '@' or contain '@{'");
    }
    if (branch.contains("..")) {
      return Optional.of("must not contain '..'");
    }
    if (branch.endsWith(".")) {
      return Optional.of("must not end with '.'");
    }
    if (branch.startsWith("/") || branch.endsWith("/") || branch.contains("//")) {
      return Optional.of("must not start or end with '/' or contain '//'");
    }
    for (String part : branch.split("/")) {
      if (part.startsWith(".")) {
        return Optional.of("no part between slashes may start with '.'");
      }
      if (part.endsWith(".lock")) {
        return Optional.of("no part between slashes may end with '.lock'");
      }
    }
    return Optional.empty();
  }

  /** A config var name: an environment variable name a shell can export. */
  public static Optional<String> configKey(String key) {
    if (key == null || !CONFIG_KEY.matcher(key).matches()) {
      return Optional.of(
          "is not a valid config var name (letters, digits and '_', not starting with a digit)");
    }
    return Optional.empty();
  }

  /** A config var value: no NUL (an environment cannot hold one) and not above the size cap. */
  public static Optional<String> configValue(String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.indexOf('\0') >= 0) {
      return Optional.of("must not contain a NUL character");
    }
    if (utf8Length(value) > MAX_CONFIG_VALUE_BYTES) {
      return Optional.of("is longer than " + MAX_CONFIG_VALUE_BYTES + " bytes");
    }
    return Optional.empty();
  }

  /** All of an app's config vars together: names and values within the total cap. */
  public static Optional<String> configTotal(Map<String, String> config) {
    long total = 0;
    for (Map.Entry<String, String> e : config.entrySet()) {
      total += utf8Length(e.getKey()) + (e.getValue() == null ? 0 : utf8Length(e.getValue()));
    }
    if (total > MAX_CONFIG_TOTAL_BYTES) {
      return Optional.of(
          "would hold "
              + total
              + " bytes of names and values, above the "
              + MAX_CONFIG_TOTAL_BYTES
              + " byte limit per app");
    }
    return Optional.empty();
  }

  /** A process type as a Procfile names it: letters, digits, '_' and '-'. */
  public static Optional<String> processType(String type) {
    if (type == null || !PROCESS_TYPE.matcher(type).matches()) {
      return Optional.of("is not a process type (letters, digits, '_' or '-', at most 63)");
    }
    return Optional.empty();
  }

  /** An API token name, compared without regard to case when checking uniqueness. */
  public static String tokenNameKey(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
