package dev.slipway.apps.artifact;

import java.net.URI;
import java.util.Objects;

/** An artifact held by an {@link ArtifactStore}: its digest, size in bytes and where it lives. */
public record StoredArtifact(Digest digest, long size, URI uri) {
  public StoredArtifact {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(uri, "uri");
    if (size < 0) {
      throw new IllegalArgumentException("size must be non-negative: " + size);
    }
  }
}
