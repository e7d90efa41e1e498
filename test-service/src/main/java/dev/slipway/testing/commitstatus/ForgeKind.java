package dev.slipway.testing.commitstatus;

/** The kind of forge hosting a repository, which decides the commit status API to call. */
public enum ForgeKind {
  GITHUB,
  GITLAB
}
