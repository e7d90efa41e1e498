package dev.slipway.build.executor;

import dev.slipway.apps.process.Cancellation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One build to execute: the checked-out source ({@code sourceDir}, no {@code .git}), its commit's
 * time ({@code sourceDate}, what buildpacks get as {@code SOURCE_DATE_EPOCH}), its bundle digest,
 * the config vars the buildpacks get, the deadline, the switch that cancels it, and whether it is a
 * fork pull request's (untrusted: sandbox required, no shared cache).
 */
public record BuildJob(
    UUID buildId,
    UUID pipelineId,
    String commitSha,
    Instant sourceDate,
    Path sourceDir,
    String sourceBundleDigest,
    String sourceBundleUri,
    Map<String, String> configVars,
    Instant deadline,
    Cancellation cancellation,
    boolean fork) {}
