package dev.slipway.platform.auth;

import dev.slipway.platform.auth.persistence.ApiToken;
import dev.slipway.platform.persistence.AdvisoryLocks;
import dev.slipway.platform.rest.ApiException;
import dev.slipway.platform.validation.InputRules;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/** Issues, lists, revokes and checks API tokens; the bootstrap admin token comes from config. */
@ApplicationScoped
public class ApiTokens {

  /** Who a valid token belongs to. */
  public record Holder(String name, Role role) {}

  /** A token just issued: the only moment its plaintext exists. */
  public record Issued(ApiToken token, String plaintext) {}

  static final String BOOTSTRAP_NAME = "bootstrap-admin";

  private final Mutiny.SessionFactory sessionFactory;
  private final Pool pool;
  private final Optional<String> bootstrapHash;
  private final String lookup;

  public ApiTokens(
      Mutiny.SessionFactory sessionFactory,
      Pool pool,
      @ConfigProperty(name = "slipway.auth.admin-token") Optional<String> adminToken,
      @ConfigProperty(name = "slipway.schema") String schema) {
    this.sessionFactory = sessionFactory;
    this.pool = pool;
    this.bootstrapHash = adminToken.filter(t -> !t.isBlank()).map(TokenDigest::sha256);
    this.lookup =
        "SELECT name, role FROM "
            + schema
            + ".api_token WHERE token_hash = $1 AND revoked_at IS NULL";
  }

  /** The holder of {@code token}, or empty when it is unknown or revoked. */
  public Uni<Optional<Holder>> holderOf(String token) {
    String hash = TokenDigest.sha256(token);
    if (bootstrapHash.isPresent() && TokenDigest.sameHash(bootstrapHash.get(), hash)) {
      return Uni.createFrom().item(Optional.of(new Holder(BOOTSTRAP_NAME, Role.ADMIN)));
    }
    return pool.preparedQuery(lookup)
        .execute(Tuple.of(hash))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                return Optional.empty();
              }
              Row row = it.next();
              return Role.parse(row.getString("role"))
                  .map(r -> new Holder(row.getString("name"), r));
            });
  }

  public Uni<Issued> issue(String name, Role role) {
    String plaintext = TokenDigest.newToken();
    ApiToken token = new ApiToken();
    token.id = UUID.randomUUID();
    token.name = name;
    token.role = role.id();
    token.tokenHash = TokenDigest.sha256(plaintext);
    token.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    String key = InputRules.tokenNameKey(name);
    if (key.equals(BOOTSTRAP_NAME)) {
      return Uni.createFrom().failure(taken(name));
    }
    // Names say whose token it is in every log line: two tokens of one name (or one named like
    // the bootstrap admin) would make those lines lie. Serialised so two requests cannot race.
    return sessionFactory
        .withTransaction(
            session ->
                AdvisoryLocks.lock(session, "api_token_name")
                    .flatMap(
                        locked ->
                            session
                                .createSelectionQuery(
                                    "select count(*) from ApiToken where lower(name) = :key"
                                        + " and revokedAt is null",
                                    Long.class)
                                .setParameter("key", key)
                                .getSingleResult())
                    .flatMap(
                        existing ->
                            existing > 0
                                ? Uni.createFrom().<Void>failure(taken(name))
                                : session.persist(token)))
        .replaceWith(new Issued(token, plaintext));
  }

  private static ApiException taken(String name) {
    return new ApiException(409, "name", "name: a token named " + name + " already exists");
  }

  public Uni<List<ApiToken>> list() {
    return sessionFactory.withSession(
        session ->
            session
                .createSelectionQuery("from ApiToken order by createdAt", ApiToken.class)
                .getResultList());
  }

  /** Revokes the token; false when there is no such token. Revoking twice is harmless. */
  public Uni<Boolean> revoke(UUID id) {
    return sessionFactory.withTransaction(
        session ->
            session
                .find(ApiToken.class, id)
                .map(
                    token -> {
                      if (token == null) {
                        return false;
                      }
                      if (token.revokedAt == null) {
                        token.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
                      }
                      return true;
                    }));
  }
}
