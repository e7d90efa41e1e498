package dev.slipway.deploy.addons.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.deploy.addons.AppAddon;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An add-on as the API shows it: never its URL or password, which only the app's config var holds.
 */
@Schema(name = "Addon")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddonResponse(
    @Schema(example = "postgresql-flat-04217") String name,
    String app,
    @Schema(example = "heroku-postgresql") String plan,
    @JsonProperty("config_var") @Schema(example = "DATABASE_URL") String configVar,
    @JsonProperty("created_at") Instant createdAt,
    @Schema(description = "the release that attached or detached it, when the app had one")
        Integer release) {

  static AddonResponse of(AppAddon a, Integer release) {
    return new AddonResponse(a.name(), a.app(), a.plan(), a.configVar(), a.createdAt(), release);
  }
}
