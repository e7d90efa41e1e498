package dev.slipway.promotion.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.promotion.pipeline.PipelineBinding.Create;
import dev.slipway.promotion.pipeline.PipelineBinding.Decision;
import dev.slipway.promotion.pipeline.PipelineBinding.Manage;
import dev.slipway.promotion.pipeline.PipelineBinding.Refuse;
import dev.slipway.promotion.pipeline.PipelineBinding.Stored;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The binding rule of a Pipeline resource to a stored pipeline: it manages only what it created
 * (same namespace and uid), never adopts by name, and a status naming another's pipeline counts for
 * nothing.
 */
class PipelineBindingTest {

  private static final PipelineOwner SELF = new PipelineOwner("team-a", "uid-1");
  private static final PipelineOwner RECREATED = new PipelineOwner("team-a", "uid-2");
  private static final PipelineOwner SAME_NAMESPACE = new PipelineOwner("team-a", "uid-3");
  private static final PipelineOwner OTHER_NAMESPACE = new PipelineOwner("team-b", "uid-1");
  private static final UUID MINE = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final UUID THEIRS = UUID.fromString("00000000-0000-0000-0000-000000000002");

  static Stream<Arguments> table() {
    return Stream.of(
        row("new resource, name free", none(), none(), new Create()),
        row("status names its own pipeline", of(MINE, SELF), none(), new Manage(MINE)),
        row(
            "status names its own pipeline, renamed onto a taken name (the update refuses)",
            of(MINE, SELF),
            of(THEIRS, null),
            new Manage(MINE)),
        row("status lost, its own pipeline by name", none(), of(MINE, SELF), new Manage(MINE)),
        row(
            "name taken by a pipeline created through the API",
            none(),
            of(THEIRS, null),
            refusal("belongs to a pipeline created through the API")),
        row(
            "name taken by a resource in another namespace",
            none(),
            of(THEIRS, OTHER_NAMESPACE),
            refusal("is managed by another Pipeline resource in another namespace")),
        row(
            "name taken by another resource in the same namespace",
            none(),
            of(THEIRS, SAME_NAMESPACE),
            refusal("is managed by another Pipeline resource in this namespace")),
        row(
            "name taken by the deleted resource this one replaces (same name, new uid)",
            none(),
            of(THEIRS, RECREATED),
            refusal("is managed by another Pipeline resource in this namespace")),
        row(
            "status forged to name an API pipeline, own name free",
            of(THEIRS, null),
            none(),
            new Create()),
        row(
            "status forged to name another namespace's pipeline, which has the same name",
            of(THEIRS, OTHER_NAMESPACE),
            of(THEIRS, OTHER_NAMESPACE),
            refusal("is managed by another Pipeline resource in another namespace")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void resourceManagesOnlyThePipelineItCreated(
      String situation, Optional<Stored> fromStatus, Optional<Stored> byName, Decision expected) {
    assertEquals(expected, PipelineBinding.decide(SELF, fromStatus, byName, "shop"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void refusalNamesTheNameAndTheWayOut(
      String situation, Optional<Stored> fromStatus, Optional<Stored> byName, Decision expected) {
    if (PipelineBinding.decide(SELF, fromStatus, byName, "shop") instanceof Refuse r) {
      assertEquals("NameTaken", r.reason());
      assertTrue(r.message().startsWith("pipeline name shop "), r.message());
      assertTrue(r.message().contains("spec.name"), r.message());
      assertFalse(r.message().contains("team-b"), "another tenant's namespace is not named");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deletions")
  void deletingTheResourceDeletesOnlyAPipelineItCreated(String situation, Stored s, boolean may) {
    assertEquals(may, PipelineBinding.mayDelete(SELF, s));
  }

  static Stream<Arguments> deletions() {
    return Stream.of(
        Arguments.of("its own", new Stored(MINE, SELF), true),
        Arguments.of("created through the API", new Stored(THEIRS, null), false),
        Arguments.of("same name, recreated resource", new Stored(THEIRS, RECREATED), false),
        Arguments.of("another namespace, same uid", new Stored(THEIRS, OTHER_NAMESPACE), false));
  }

  private static Arguments row(
      String situation, Optional<Stored> fromStatus, Optional<Stored> byName, Decision expected) {
    return Arguments.of(situation, fromStatus, byName, expected);
  }

  private static Optional<Stored> none() {
    return Optional.empty();
  }

  private static Optional<Stored> of(UUID id, PipelineOwner owner) {
    return Optional.of(new Stored(id, owner));
  }

  /** A refusal with a message containing {@code text}; equality checks reason and message. */
  private static Decision refusal(String text) {
    return new Refuse("NameTaken", expectedMessage(text));
  }

  private static String expectedMessage(String text) {
    return switch (text) {
      case "belongs to a pipeline created through the API" ->
          "pipeline name shop belongs to a pipeline created through the API, which a Pipeline"
              + " resource never adopts: choose another spec.name, or delete that pipeline first";
      case "is managed by another Pipeline resource in another namespace" ->
          "pipeline name shop is managed by another Pipeline resource in another namespace:"
              + " choose another spec.name";
      default ->
          "pipeline name shop is managed by another Pipeline resource in this namespace:"
              + " choose another spec.name";
    };
  }
}
