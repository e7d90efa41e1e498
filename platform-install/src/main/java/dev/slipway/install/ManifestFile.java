package dev.slipway.install;

import java.util.List;

/**
 * A file of a profile. Its name starts with a number so that {@code kubectl apply -f} on the
 * folder, which reads files in name order, creates namespaces and CRDs before what uses them.
 */
public record ManifestFile(String name, String header, List<Manifest> manifests) {}
