package dev.slipway.build.executor.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the lifecycle's report.toml says about the exported image: its digest and, where the
 * lifecycle still writes a bill of materials, the buildpacks that contributed. Read line by line
 * because Kubernetes cuts termination messages at 4 KiB; {@code [image]} comes first and survives.
 */
record LifecycleReport(String digest, List<String> buildpacks) {

  private static final Pattern TABLE = Pattern.compile("^\\[\\[?\\s*([A-Za-z0-9_.\\-]+)\\s*]]?$");
  private static final Pattern STRING_KEY =
      Pattern.compile("^([A-Za-z0-9_\\-]+)\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern INLINE_ID = Pattern.compile("\\bid\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  LifecycleReport {
    buildpacks = List.copyOf(buildpacks);
  }

  /** Parses {@code text}; a missing or malformed digest reads as null. */
  static LifecycleReport parse(String text) {
    if (text == null) {
      return new LifecycleReport(null, List.of());
    }
    String table = "";
    String digest = null;
    Set<String> buildpacks = new LinkedHashSet<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      Matcher header = TABLE.matcher(line);
      if (header.matches()) {
        table = header.group(1);
        continue;
      }
      Matcher kv = STRING_KEY.matcher(line);
      String key = kv.find() ? kv.group(1) : null;
      if ("image".equals(table) && "digest".equals(key)) {
        digest = DIGEST.matcher(kv.group(2)).matches() ? kv.group(2) : null;
      } else if ("build.bom.buildpack".equals(table) && "id".equals(key)) {
        buildpacks.add(kv.group(2));
      } else if ("build.bom".equals(table) && line.startsWith("buildpack")) {
        Matcher id = INLINE_ID.matcher(line);
        if (id.find()) {
          buildpacks.add(id.group(1));
        }
      }
    }
    return new LifecycleReport(digest, new ArrayList<>(buildpacks));
  }
}
