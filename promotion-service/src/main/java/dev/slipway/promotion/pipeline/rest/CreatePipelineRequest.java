package dev.slipway.promotion.pipeline.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /pipelines}: the name and the repository it follows. */
public record CreatePipelineRequest(
    @NotBlank
        @Pattern(
            regexp = "[a-z][a-z0-9-]{1,28}[a-z0-9]",
            message = "must be 3 to 30 lowercase letters, digits or dashes, starting with a letter")
        String name,
    @JsonProperty("repository_url") @NotBlank @Size(max = 2048) String repositoryUrl,
    @Pattern(regexp = "github|gitlab|generic", message = "must be github, gitlab or generic")
        String forge,
    @Size(max = 255)
        @Pattern(
            regexp = "[A-Za-z0-9._][A-Za-z0-9._/-]*",
            message = "must be a branch name (letters, digits, '.', '_', '/', '-')")
        String branch) {}
