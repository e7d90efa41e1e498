package dev.slipway.deploy.addons;

import java.time.Instant;

/**
 * An add-on attached to an app: its Heroku-style name, the plan it was made from, and the config
 * var that holds its URL (never the URL itself, which carries the password).
 */
public record AppAddon(String name, String app, String plan, String configVar, Instant createdAt) {}
