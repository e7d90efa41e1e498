package dev.slipway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/**
 * The review app to have: whose pull request it is, which release it runs (absent: an empty
 * isolated namespace), the command to run before teardown, and when it may be reaped.
 */
public record ReviewAppCustomResourceSpec(
    @Required @JsonPropertyDescription("Pipeline name; leads the namespace name") String pipeline,
    @Required
        @Min(0)
        @PrinterColumn(name = "PR")
        @JsonPropertyDescription("Pull request number; the namespace is <pipeline>-pr-<prNumber>")
        Integer prNumber,
    @JsonPropertyDescription("Branch of the pull request") String branch,
    @Required @JsonPropertyDescription("Slipway app name of the review app") String app,
    @JsonPropertyDescription("The release to run; absent: the namespace only") Release release,
    @JsonPropertyDescription(
            "Command run as a Job from the release before the namespace is deleted (pr-predestroy)")
        String predestroy,
    @JsonPropertyDescription("RFC 3339 instant after which the review app is deleted")
        String expiresAt) {

  /** One release of the app: its image, its config vars (by Secret) and its process formation. */
  public record Release(
      @Required @Min(1) @JsonPropertyDescription("Release version") Integer version,
      @Required @JsonPropertyDescription("Image reference, by digest") String image,
      @JsonPropertyDescription("Digest of the build artifact") String artifactDigest,
      @Required
          @JsonPropertyDescription(
              "Secret in this resource's namespace holding the release's config vars")
          String configSecret,
      @JsonPropertyDescription("Process type to command (the Procfile)")
          Map<String, String> processes,
      @JsonPropertyDescription("Process type to how many run; web defaults to 1, others to 0")
          Map<String, Integer> formation) {}
}
