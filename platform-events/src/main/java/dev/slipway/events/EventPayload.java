package dev.slipway.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** The content of a Slipway event: every payload belongs to exactly one pipeline. */
public interface EventPayload {

  /**
   * The pipeline this event is about; it is the Kafka key, so one pipeline's events stay ordered.
   */
  String pipelineId();

  /**
   * The id of the thing the event is about (a build, a test run, a release...), used as the
   * CloudEvents {@code subject} and the CDEvents {@code subject.id}. Defaults to the pipeline id.
   */
  @JsonIgnore
  default String subjectId() {
    return pipelineId();
  }
}
