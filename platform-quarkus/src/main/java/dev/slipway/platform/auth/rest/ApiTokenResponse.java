package dev.slipway.platform.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.platform.auth.persistence.ApiToken;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An API token as the API shows it; {@code token} is present only in the answer that issued it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiTokenResponse(
    UUID id,
    String name,
    String role,
    @JsonProperty("created_at") OffsetDateTime createdAt,
    @JsonProperty("revoked_at") OffsetDateTime revokedAt,
    String token) {

  static ApiTokenResponse of(ApiToken token, String plaintext) {
    return new ApiTokenResponse(
        token.id, token.name, token.role, token.createdAt, token.revokedAt, plaintext);
  }
}
