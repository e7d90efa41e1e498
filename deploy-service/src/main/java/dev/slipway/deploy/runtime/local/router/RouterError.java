package dev.slipway.deploy.runtime.local.router;

/** The router's own error responses, named after the Heroku router codes users already know. */
enum RouterError {
  INVALID_APP_NAME(400, null, "Invalid app name"),
  NO_SUCH_APP(404, null, "no such app"),
  REQUEST_TIMEOUT(503, "H12", "Request timeout"),
  CONNECTION_CLOSED(503, "H13", "Connection closed without response"),
  NO_WEB_PROCESSES(503, "H14", "No web processes running"),
  // Heroku reports a web process it cannot open a socket to as H19, whether refused or timed out.
  BACKEND_CONNECTION_FAILED(503, "H19", "Backend connection timeout");

  private final int status;
  private final String code;
  private final String description;

  RouterError(int status, String code, String description) {
    this.status = status;
    this.code = code;
    this.description = description;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String description() {
    return description;
  }

  /** The first line of the body, e.g. {@code H14 - No web processes running}. */
  String title() {
    return code == null ? description : code + " - " + description;
  }
}
