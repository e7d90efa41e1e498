package dev.slipway.build.logs.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Chooses between a log's text and its live stream: {@code ?follow=true} (for clients that cannot
 * set an Accept header) or {@code Accept: text/event-stream} follows; anything else gets the text.
 */
public class FollowQueryFilter {

  @ServerRequestFilter(preMatching = true)
  public void followMeansEventStream(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().endsWith("/log")) {
      return;
    }
    String accept = request.getHeaderString(HttpHeaders.ACCEPT);
    boolean follow = "true".equals(request.getUriInfo().getQueryParameters().getFirst("follow"));
    boolean asksForStream = accept != null && accept.contains(MediaType.SERVER_SENT_EVENTS);
    // Without an explicit choice, the plain text log is the answer; following is opt-in.
    request
        .getHeaders()
        .putSingle(
            HttpHeaders.ACCEPT,
            follow || asksForStream ? MediaType.SERVER_SENT_EVENTS : MediaType.TEXT_PLAIN);
  }
}
