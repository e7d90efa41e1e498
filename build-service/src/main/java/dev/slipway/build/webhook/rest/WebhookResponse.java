package dev.slipway.build.webhook.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.build.webhook.IntakeResult;
import java.util.Locale;
import java.util.UUID;

/** The answer to a forge: what happened to its delivery. */
public record WebhookResponse(
    @JsonProperty("result") String result,
    @JsonProperty("build_id") UUID buildId,
    @JsonProperty("reason") String reason) {

  static WebhookResponse of(IntakeResult r) {
    return new WebhookResponse(
        r.outcome().name().toLowerCase(Locale.ROOT), r.buildId(), r.reason());
  }
}
