package dev.slipway.promotion.pipeline;

import java.util.Objects;

/**
 * The Pipeline resource that created a pipeline, by namespace and uid: a resource deleted and
 * created again under the same name is another resource.
 */
public record PipelineOwner(String namespace, String uid) {
  public PipelineOwner {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(uid, "uid");
  }
}
