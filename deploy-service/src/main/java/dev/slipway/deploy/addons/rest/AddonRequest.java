package dev.slipway.deploy.addons.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /apps/{app}/addons}: the add-on plan to provision. */
@Schema(name = "AddonRequest")
public record AddonRequest(
    @Schema(
            example = "heroku-postgresql",
            description = "heroku-postgresql or heroku-postgresql:<plan> (every plan alike)")
        String plan) {}
