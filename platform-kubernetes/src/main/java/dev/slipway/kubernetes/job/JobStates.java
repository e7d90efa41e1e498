package dev.slipway.kubernetes.job;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.stream.Stream;

/** Reads what a Job's and its pod's status say, tolerating every field Kubernetes may leave out. */
public final class JobStates {

  /** The condition type of a Job that succeeded. */
  public static final String COMPLETE = "Complete";

  /**
   * The condition type of a Job that failed (its reason says why, e.g. {@code DeadlineExceeded}).
   */
  public static final String FAILED = "Failed";

  private JobStates() {}

  /** The Job's condition of {@code type} if it holds (status {@code True}), else null. */
  public static JobCondition condition(Job job, String type) {
    if (job == null || job.getStatus() == null) {
      return null;
    }
    for (JobCondition c : orEmpty(job.getStatus().getConditions())) {
      if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
        return c;
      }
    }
    return null;
  }

  /** Whether the Job completed or failed. */
  public static boolean ended(Job job) {
    return condition(job, COMPLETE) != null || condition(job, FAILED) != null;
  }

  /** The state of the pod's (init) container named {@code container}, or null. */
  public static ContainerState state(Pod pod, String container) {
    if (pod == null) {
      return null;
    }
    for (ContainerStatus s : containerStatuses(pod)) {
      if (container.equals(s.getName())) {
        return s.getState();
      }
    }
    return null;
  }

  /** How the pod's (init) container named {@code container} ended, or null if it has not. */
  public static ContainerStateTerminated terminated(Pod pod, String container) {
    ContainerState state = state(pod, container);
    return state == null ? null : state.getTerminated();
  }

  /** The pod's init containers' statuses, then its containers'. */
  public static List<ContainerStatus> containerStatuses(Pod pod) {
    if (pod.getStatus() == null) {
      return List.of();
    }
    return Stream.concat(
            orEmpty(pod.getStatus().getInitContainerStatuses()).stream(),
            orEmpty(pod.getStatus().getContainerStatuses()).stream())
        .toList();
  }

  /** The container's exit code, -1 when Kubernetes did not say. */
  public static int exitCode(ContainerStateTerminated terminated) {
    return terminated.getExitCode() == null ? -1 : terminated.getExitCode();
  }

  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
