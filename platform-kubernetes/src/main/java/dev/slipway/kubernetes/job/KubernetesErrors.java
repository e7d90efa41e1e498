package dev.slipway.kubernetes.job;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

/** Turns API server failures into one line for logs and users, and makes cleanup best-effort. */
public final class KubernetesErrors {

  private static final Logger LOG = Logger.getLogger(KubernetesErrors.class);

  private KubernetesErrors() {}

  /** The status code and the API server's own message when it gave one, else the client's. */
  public static String describe(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getCode() + " " + e.getStatus().getMessage();
    }
    return e.getMessage();
  }

  /**
   * Runs a deletion, logging instead of throwing when the API server refuses it: what it misses, a
   * TTL, an owner reference or a namespace deletion cleans up later.
   */
  public static void quietly(String what, Runnable deletion) {
    try {
      deletion.run();
    } catch (KubernetesClientException e) {
      LOG.warnf("could not delete %s: %s", what, describe(e));
    }
  }
}
