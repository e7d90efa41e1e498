package dev.slipway.deploy.runtime.kubernetes;

import dev.slipway.kubernetes.namespace.NamespaceNames;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline and pull request a review app's name {@code <pipeline>-pr-<n>} stands for. The
 * pipeline part is the DNS-safe slug the deploy-service named the app with, which is also what
 * leads the namespace name.
 */
public record ReviewAppName(String pipeline, int pr) {

  private static final Pattern NAME = Pattern.compile("^(.+)-pr-([0-9]{1,9})$");

  /** The review app {@code app} names, if it is a name of that shape. */
  public static Optional<ReviewAppName> parse(String app) {
    if (app == null) {
      return Optional.empty();
    }
    Matcher m = NAME.matcher(app);
    if (!m.matches()) {
      return Optional.empty();
    }
    ReviewAppName name = new ReviewAppName(m.group(1), Integer.parseInt(m.group(2)));
    // Only a name that is its own namespace name: the app and its namespace are one name.
    return name.namespace().equals(app) ? Optional.of(name) : Optional.empty();
  }

  public String namespace() {
    return NamespaceNames.forReviewApp(pipeline, pr);
  }
}
