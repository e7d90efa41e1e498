package dev.slipway.platform.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/** Reads {@code Authorization: Bearer <token>} and answers 401 with a Bearer challenge. */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

  private static final String SCHEME = "Bearer ";

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader("Authorization");
    if (header == null || header.isBlank()) {
      return Uni.createFrom().optional(Optional.empty());
    }
    if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || header.length() == SCHEME.length()) {
      return Uni.createFrom()
          .failure(new AuthenticationFailedException("Authorization is not a bearer token"));
    }
    String token = header.substring(SCHEME.length()).trim();
    TokenAuthenticationRequest request =
        new TokenAuthenticationRequest(new TokenCredential(token, "bearer"));
    HttpSecurityUtils.setRoutingContextAttribute(request, context);
    return identityProviderManager.authenticate(request);
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom()
        .item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"slipway\""));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }

  @Override
  public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
    return Uni.createFrom()
        .item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
  }
}
