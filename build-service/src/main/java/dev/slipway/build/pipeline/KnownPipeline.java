package dev.slipway.build.pipeline;

import java.util.UUID;

/**
 * A pipeline as the build-service needs it: which repository and branch it follows, and its webhook
 * secret still sealed (opened only to check a delivery).
 */
public record KnownPipeline(
    UUID id,
    String name,
    String repositoryUrl,
    String forge,
    String branch,
    String sealedWebhookSecret) {}
