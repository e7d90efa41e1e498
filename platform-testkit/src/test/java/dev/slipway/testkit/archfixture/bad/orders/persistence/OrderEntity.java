package dev.slipway.testkit.archfixture.bad.orders.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Bad fixture: an entity handed straight to the REST layer. */
@Entity
public class OrderEntity {
  @Id public Long id;
}
