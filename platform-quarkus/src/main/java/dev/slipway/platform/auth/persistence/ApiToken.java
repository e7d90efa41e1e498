package dev.slipway.platform.auth.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored API token: its name, role and SHA-256, never the token itself. */
@Entity
@Table(name = "api_token")
public class ApiToken {

  @Id public UUID id;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public String role;

  @Column(name = "token_hash", nullable = false, unique = true)
  public String tokenHash;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "revoked_at")
  public OffsetDateTime revokedAt;
}
