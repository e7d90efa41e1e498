package dev.slipway.install;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/** The properties every container Slipway installs must have, as a list of violations. */
final class WorkloadChecks {

  private WorkloadChecks() {}

  static List<String> violations(List<HasMetadata> resources) {
    List<String> found = new ArrayList<>();
    for (HasMetadata resource : resources) {
      if (!(resource instanceof Deployment deployment)) {
        continue;
      }
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      String name = deployment.getMetadata().getName();
      if (pod.getTopologySpreadConstraints() == null
          || pod.getTopologySpreadConstraints().isEmpty()) {
        found.add(name + ": no topology spread");
      }
      for (Container c : pod.getContainers()) {
        String where = name + "/" + c.getName();
        if (c.getLivenessProbe() == null || c.getReadinessProbe() == null) {
          found.add(where + ": no liveness or readiness probe");
        }
        if (c.getResources() == null
            || c.getResources().getLimits() == null
            || !c.getResources().getLimits().containsKey("memory")
            || !c.getResources().getLimits().containsKey("cpu")
            || c.getResources().getRequests() == null
            || !c.getResources().getRequests().containsKey("memory")) {
          found.add(where + ": no cpu and memory limits and requests");
        }
        SecurityContext sc = c.getSecurityContext();
        PodSecurityContext psc = pod.getSecurityContext();
        boolean nonRoot =
            (sc != null && Boolean.TRUE.equals(sc.getRunAsNonRoot()))
                || (psc != null
                    && Boolean.TRUE.equals(psc.getRunAsNonRoot())
                    && (sc == null || sc.getRunAsNonRoot() == null));
        if (!nonRoot) {
          found.add(where + ": may run as root");
        }
        if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
          found.add(where + ": privilege escalation not forbidden");
        }
        if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
          found.add(where + ": root filesystem writable");
        }
        if (sc == null
            || sc.getCapabilities() == null
            || !sc.getCapabilities().getDrop().contains("ALL")) {
          found.add(where + ": capabilities not dropped");
        }
      }
    }
    return found;
  }
}
