package dev.slipway.api.v1alpha1;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator last concluded: the pipeline it manages, the generation it looked at, and the
 * Ready, Reconciling and Stalled conditions.
 */
public record PipelineCustomResourceStatus(
    @PrinterColumn(name = "Pipeline ID") String pipelineId,
    Long observedGeneration,
    List<Condition> conditions) {}
