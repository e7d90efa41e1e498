package dev.slipway.testkit.archfixture.bad.orders.rest;

import dev.slipway.testkit.archfixture.bad.orders.persistence.OrderEntity;

/** Bad fixture: a REST resource answering with an entity. */
public class OrdersResource {

  public OrderEntity get() {
    return new OrderEntity();
  }
}
