package dev.slipway.promotion.pipeline;

/** Pipeline names are unique, as Heroku's are. */
public class PipelineNameTakenException extends RuntimeException {

  public PipelineNameTakenException(String name) {
    super("a pipeline named " + name + " already exists");
  }
}
