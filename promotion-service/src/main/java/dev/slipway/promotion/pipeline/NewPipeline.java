package dev.slipway.promotion.pipeline;

/** A validated request to create a pipeline. */
public record NewPipeline(String name, String repositoryUrl, String forge, String branch) {}
