package dev.slipway.api.v1alpha1;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator last concluded: the phase, the namespace and URL, the release running, the
 * generation it looked at, and the Ready, Reconciling and Stalled conditions.
 */
public record ReviewAppCustomResourceStatus(
    @PrinterColumn(name = "Phase") String phase,
    String namespace,
    @PrinterColumn(name = "URL") String url,
    Integer release,
    Long observedGeneration,
    List<Condition> conditions) {}
