package dev.slipway.platform.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a bearer token into an identity holding its role and every lesser one. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

  private final ApiTokens tokens;

  public ApiTokenIdentityProvider(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    return tokens
        .holderOf(request.getToken().getToken())
        .map(
            holder ->
                holder
                    .map(
                        h ->
                            (SecurityIdentity)
                                QuarkusSecurityIdentity.builder()
                                    .setPrincipal(new QuarkusPrincipal(h.name()))
                                    .addRoles(h.role().grants())
                                    .addCredential(request.getToken())
                                    .build())
                    .orElseThrow(
                        () -> new AuthenticationFailedException("unknown or revoked API token")));
  }
}
