package dev.slipway.deploy.apps;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An app: its place in a pipeline (if any), its config vars (with the names of those that are
 * secret whatever they are called) and its formation.
 */
public record App(
    String name,
    UUID pipelineId,
    String stage,
    Map<String, String> config,
    Set<String> secretNames,
    Map<String, Integer> formation,
    Instant createdAt) {}
