package dev.slipway.promotion.promotions.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code POST /pipelines/{id}/promotions}. */
public record CreatePromotionRequest(
    @NotNull @Valid Source source,
    @Size(max = 50)
        List<
                @NotBlank
                @Pattern(regexp = "[a-z][a-z0-9-]{1,28}[a-z0-9]", message = "must be an app name")
                String>
            targets) {

  /** What to promote: an app, and optionally one of its releases ({@code "v7"} or {@code 7}). */
  public record Source(
      @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{1,28}[a-z0-9]", message = "must be an app name")
          String app,
      @JsonProperty("release")
          @Pattern(regexp = "v?[1-9][0-9]{0,8}", message = "must be a release version like v7")
          String release) {}
}
