package dev.slipway.apps.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few variables of the platform's own environment that user code may see, so buildpacks and
 * apps can find java, node and mvn; everything else (database passwords, tokens) stays out.
 */
public final class HostEnvironment {

  /** The only variables ever copied from the JVM's environment. */
  public static final List<String> PASSED_THROUGH =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME", "USER");

  private HostEnvironment() {}

  /** The {@link #PASSED_THROUGH} variables that are set in the JVM's environment. */
  public static Map<String, String> essentials() {
    return essentials(System.getenv());
  }

  static Map<String, String> essentials(Map<String, String> hostEnvironment) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String key : PASSED_THROUGH) {
      String value = hostEnvironment.get(key);
      if (value != null) {
        result.put(key, value);
      }
    }
    return result;
  }
}
