package dev.slipway.events.change;

import static dev.slipway.events.PayloadChecks.noCredentials;
import static dev.slipway.events.PayloadChecks.positive;
import static dev.slipway.events.PayloadChecks.present;
import static dev.slipway.events.PayloadChecks.sha;
import static dev.slipway.events.PayloadChecks.text;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.slipway.events.EventPayload;

/**
 * A pull (merge) request as it stands after it was opened, updated, merged or closed; the event
 * type says which, and review apps follow it.
 */
@JsonNaming(SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PullRequestChange(
    String pipelineId,
    String repositoryUrl,
    @JsonProperty(required = true) int number,
    String title,
    String url,
    String headBranch,
    String headSha,
    String baseBranch,
    String author,
    @JsonProperty(required = true) boolean fork,
    @JsonProperty(required = true) boolean merged)
    implements EventPayload {

  public PullRequestChange {
    text(pipelineId, "pipelineId");
    noCredentials(repositoryUrl, "repositoryUrl");
    positive(number, "number", false);
    present(title, "title");
    text(url, "url");
    text(headBranch, "headBranch");
    sha(headSha, "headSha");
    text(baseBranch, "baseBranch");
    present(author, "author");
  }

  /** The pull request's web URL: unique across repositories, unlike its number. */
  @Override
  public String subjectId() {
    return url;
  }
}
