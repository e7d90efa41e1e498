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
 * A review app declared as a Kubernetes resource ({@code slipway.dev/v1alpha1 ReviewApp}): the
 * desired state the ReviewApp operator reconciles an isolated {@code <pipeline>-pr-<n>} namespace
 * to.
 */
@Group("slipway.dev")
@Version("v1alpha1")
@Kind("ReviewApp")
@Singular("reviewapp")
@Plural("reviewapps")
@ShortNames("slra")
// Declaring any column hides kubectl's default Age column, so it is declared again.
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    priority = 1)
public class ReviewAppCustomResource
    extends CustomResource<ReviewAppCustomResourceSpec, ReviewAppCustomResourceStatus>
    implements Namespaced {}
