package dev.slipway.deploy.forge;

/** What a deployment reported on the forge says about its environment. */
public enum DeploymentState {
  /** The release is running there. */
  SUCCESS,
  /** The release failed; the previous one (if any) still runs. */
  FAILURE,
  /** The environment is gone (a review app was destroyed): GitHub inactive, GitLab stopped. */
  INACTIVE
}
