package dev.slipway.install;

/**
 * The image each Deployment runs: {@code slipway/<service>:<version>}, as the services' Jib
 * configuration names it by default. Another registry or tag: kustomize's {@code images:} or an
 * edit.
 */
public final class Images {

  /** The group (registry path) of the services' images, matching quarkus.container-image.group. */
  public static final String GROUP = "slipway";

  private Images() {}

  public static String reference(SlipwayService service, String tag) {
    return GROUP + "/" + service.serviceName() + ":" + tag;
  }
}
