package dev.slipway.deploy.apps.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.slipway.deploy.apps.App;
import dev.slipway.deploy.runtime.AppRuntime.ProcessStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An app as the API shows it: where it is, what it runs and where it answers. */
@Schema(name = "App")
public record AppResponse(
    String name,
    @JsonProperty("pipeline_id") UUID pipelineId,
    String stage,
    @Schema(example = "http://shop-staging.localhost:5000/") String url,
    @JsonProperty("current_release") Integer currentRelease,
    Map<String, Integer> formation,
    List<Process> processes,
    @JsonProperty("created_at") Instant createdAt) {

  /** One running process (Heroku: dyno). */
  @Schema(name = "AppProcess")
  public record Process(
      @Schema(example = "web.1") String name,
      String type,
      int release,
      @Schema(enumeration = {"starting", "up", "crashed", "down"}) String state,
      int restarts,
      @JsonProperty("last_exit_code") Integer lastExitCode) {}

  static AppResponse of(App app, String url, Integer current, List<ProcessStatus> processes) {
    return new AppResponse(
        app.name(),
        app.pipelineId(),
        app.stage(),
        url,
        current,
        app.formation(),
        processes.stream()
            .map(
                p ->
                    new Process(
                        p.name(),
                        p.type(),
                        p.release(),
                        p.state().name().toLowerCase(Locale.ROOT),
                        p.restarts(),
                        p.lastExitCode()))
            .toList(),
        app.createdAt());
  }
}
