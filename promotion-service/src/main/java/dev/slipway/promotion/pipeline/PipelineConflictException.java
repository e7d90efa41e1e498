package dev.slipway.promotion.pipeline;

/**
 * A pipeline change that clashes with another pipeline: a taken name or an app coupled elsewhere.
 */
public class PipelineConflictException extends RuntimeException {

  private final String field;

  public PipelineConflictException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
