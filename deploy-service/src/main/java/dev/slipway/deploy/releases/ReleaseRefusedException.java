package dev.slipway.deploy.releases;

/** A release that cannot be made: names the field at fault and the answer's status. */
public class ReleaseRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int status;
  private final String field;

  public ReleaseRefusedException(int status, String field, String message) {
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
