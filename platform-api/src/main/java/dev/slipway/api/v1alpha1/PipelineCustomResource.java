package dev.slipway.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A pipeline declared as a Kubernetes resource ({@code slipway.dev/v1alpha1 Pipeline}), which the
 * Pipeline operator reconciles into the same model as {@code POST /pipelines}.
 */
@Group("slipway.dev")
@Version("v1alpha1")
@Kind("Pipeline")
@Singular("pipeline")
@Plural("pipelines")
// Tekton also has a Pipeline kind; a short name spares users typing pipelines.slipway.dev.
@ShortNames("slpl")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    priority = 1)
// Declaring any column hides kubectl's default Age column, so it is declared again.
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class PipelineCustomResource
    extends CustomResource<PipelineCustomResourceSpec, PipelineCustomResourceStatus>
    implements Namespaced {}
