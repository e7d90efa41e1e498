package dev.slipway.apps.manifest;

/** A problem in a user's app.json or Procfile, naming the file and the offending key or line. */
public class ManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String key;
  private final String problem;

  public ManifestException(String file, String key, String problem) {
    super(file + ": " + key + ": " + problem);
    this.file = file;
    this.key = key;
    this.problem = problem;
  }

  /** The manifest file, {@code app.json} or {@code Procfile}. */
  public String file() {
    return file;
  }

  /** The dotted key path ({@code formation.web.quantity}), {@code line N}, or {@code (root)}. */
  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }
}
