package dev.slipway.apps.manifest;

import java.util.Objects;

/**
 * One entry of app.json {@code buildpacks}: a URL or a short name such as {@code heroku/nodejs}.
 */
public record Buildpack(String url) {
  public Buildpack {
    Objects.requireNonNull(url, "url");
  }
}
