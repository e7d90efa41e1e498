package dev.slipway.platform.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Chooses between a log's text and its live stream on every service's log endpoints (paths ending
 * in {@code /log}, {@code /logs} or {@code /output}): {@code ?follow=true} (for clients that cannot
 * set headers) or {@code Accept: text/event-stream} follows; anything else gets the text so far.
 */
public class LogStreamNegotiation {

  private static final List<String> LOG_PATHS = List.of("/log", "/logs", "/output");

  @ServerRequestFilter(preMatching = true)
  public void chooseTextOrStream(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (LOG_PATHS.stream().noneMatch(path::endsWith)) {
      return;
    }
    String accept = request.getHeaderString(HttpHeaders.ACCEPT);
    boolean follow = "true".equals(request.getUriInfo().getQueryParameters().getFirst("follow"));
    boolean asksForStream = accept != null && accept.contains(MediaType.SERVER_SENT_EVENTS);
    request
        .getHeaders()
        .putSingle(
            HttpHeaders.ACCEPT,
            follow || asksForStream ? MediaType.SERVER_SENT_EVENTS : MediaType.TEXT_PLAIN);
  }
}
