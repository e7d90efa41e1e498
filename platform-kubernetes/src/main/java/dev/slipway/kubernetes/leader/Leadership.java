package dev.slipway.kubernetes.leader;

/**
 * Which one replica of a service runs a singleton job (an operator, a reaper, a sweeper): every
 * replica contends, one leads at a time, and another takes over when the leader stops or loses the
 * lock. Implemented on a Kubernetes Lease ({@link LeaseLeadership}) and on a PostgreSQL session
 * advisory lock (platform-quarkus), chosen by the service's leader-election mode.
 */
public interface Leadership extends AutoCloseable {

  /** The job contended for, e.g. {@code pipeline-operator}. */
  String job();

  /**
   * Starts contending. {@code onLead} runs each time this replica becomes the leader, {@code
   * onLoss} each time it stops being the leader (lost, or {@link #close closed}); they alternate,
   * starting with {@code onLead}, and must return quickly.
   */
  void start(Runnable onLead, Runnable onLoss);

  /** Whether this replica leads the job now. */
  boolean leading();

  /** Stops contending and gives the leadership up, so that another replica takes over at once. */
  @Override
  void close();
}
