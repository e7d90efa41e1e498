package dev.slipway.build.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A webhook delivery as received, before anything is trusted: the forge, its event name and
 * delivery id headers, the signature header, the raw body and its content type.
 */
public record Delivery(
    Forge forge,
    String event,
    String deliveryId,
    String signature,
    byte[] body,
    String contentType) {

  private static final String FORM = "application/x-www-form-urlencoded";

  /** The forges whose webhooks Slipway reads. */
  public enum Forge {
    GITHUB,
    GITLAB
  }

  /**
   * The event's JSON: the body itself, or for GitHub's form-encoded deliveries (a choice in the
   * webhook's settings) the value of its {@code payload} field. Signatures cover the raw body.
   */
  public byte[] payload() {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
      return body;
    }
    for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals("payload")) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
              .getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new WebhookPayloadException("payload", "is not valid form encoding");
        }
      }
    }
    throw new WebhookPayloadException(
        "payload",
        "is missing: a form-encoded delivery carries the event's JSON in its payload field");
  }
}
