package dev.slipway.deploy.apps;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An app: its place in a pipeline (if any), its config vars and its formation. */
public record App(
    String name,
    UUID pipelineId,
    String stage,
    Map<String, String> config,
    Map<String, Integer> formation,
    Instant createdAt) {}
