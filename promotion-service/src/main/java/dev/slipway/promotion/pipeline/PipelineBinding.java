package dev.slipway.promotion.pipeline;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which stored pipeline a Pipeline resource manages: only one it created itself (same namespace and
 * uid). It never adopts a pipeline by name, neither one created through the API nor one another
 * resource manages, and it ignores a status naming a pipeline it does not own (a status is writable
 * by whoever may edit the resource).
 */
public final class PipelineBinding {

  private PipelineBinding() {}

  /** A stored pipeline and its owner, null when it was created through the API. */
  public record Stored(UUID id, PipelineOwner owner) {
    public Stored {
      Objects.requireNonNull(id, "id");
    }
  }

  /** What the resource does. */
  public sealed interface Decision {}

  /** Creates its pipeline, owned by it. */
  public record Create() implements Decision {}

  /** Manages (updates) the pipeline {@code id}, which it owns. */
  public record Manage(UUID id) implements Decision {}

  /** Changes nothing; {@code reason} and {@code message} go into its Stalled condition. */
  public record Refuse(String reason, String message) implements Decision {}

  static final String NAME_TAKEN = "NameTaken";

  /**
   * @param self the resource
   * @param fromStatus the pipeline its status names, if that exists
   * @param byName the pipeline named {@code name}, the name it declares, if any
   */
  public static Decision decide(
      PipelineOwner self, Optional<Stored> fromStatus, Optional<Stored> byName, String name) {
    if (fromStatus.isPresent() && self.equals(fromStatus.get().owner())) {
      return new Manage(fromStatus.get().id());
    }
    if (byName.isEmpty()) {
      return new Create();
    }
    PipelineOwner owner = byName.get().owner();
    if (self.equals(owner)) {
      // Its status was lost or never written after the create: the pipeline is still its own.
      return new Manage(byName.get().id());
    }
    if (owner == null) {
      return new Refuse(
          NAME_TAKEN,
          "pipeline name "
              + name
              + " belongs to a pipeline created through the API, which a Pipeline resource never"
              + " adopts: choose another spec.name, or delete that pipeline first");
    }
    String where =
        owner.namespace().equals(self.namespace()) ? "in this namespace" : "in another namespace";
    return new Refuse(
        NAME_TAKEN,
        "pipeline name "
            + name
            + " is managed by another Pipeline resource "
            + where
            + ": choose another spec.name");
  }

  /** Whether deleting the resource deletes {@code stored}: only when the resource owns it. */
  public static boolean mayDelete(PipelineOwner self, Stored stored) {
    return self.equals(stored.owner());
  }
}
