package dev.slipway.platform.leader;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code leader-election}: always UP, since a follower serves its API and consumes
 * its events like the leader; its data say which singleton jobs this replica leads.
 */
@Readiness
@ApplicationScoped
public class LeaderElectionHealthCheck implements HealthCheck {

  private final LeaderElection election;

  public LeaderElectionHealthCheck(LeaderElection election) {
    this.election = election;
  }

  @Override
  public HealthCheckResponse call() {
    var response =
        HealthCheckResponse.named("leader-election")
            .up()
            .withData("mode", election.mode().name().toLowerCase(java.util.Locale.ROOT))
            .withData("identity", election.identity());
    election
        .jobs()
        .forEach((job, leading) -> response.withData(job, leading ? "leader" : "follower"));
    return response.build();
  }
}
