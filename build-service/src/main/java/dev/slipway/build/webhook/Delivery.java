package dev.slipway.build.webhook;

/**
 * A webhook delivery as received, before anything is trusted: the forge, its event name and
 * delivery id headers, the signature header and the raw body.
 */
public record Delivery(
    Forge forge, String event, String deliveryId, String signature, byte[] body) {

  /** The forges whose webhooks Slipway reads. */
  public enum Forge {
    GITHUB,
    GITLAB
  }
}
