package dev.slipway.apps.artifact;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content-addressed, immutable storage for build artifacts: an artifact is stored under the SHA-256
 * of its bytes, so promoting a release copies a digest, never bytes.
 */
public interface ArtifactStore {

  /**
   * Stores the file's bytes under their digest. Storing the same bytes again is a no-op returning
   * the same artifact. The digest is computed over the bytes actually stored, so a file changing
   * while it is read cannot be stored under a wrong name.
   */
  StoredArtifact put(Path file) throws IOException;

  Optional<StoredArtifact> find(Digest digest);

  /**
   * A readable local path holding the artifact's bytes.
   *
   * @throws java.nio.file.NoSuchFileException when the store does not hold it
   */
  Path fetch(Digest digest) throws IOException;

  boolean contains(Digest digest);
}
