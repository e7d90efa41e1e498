package dev.slipway.testkit.archfixture.good.orders.rest;

import dev.slipway.testkit.archfixture.good.orders.Order;
import dev.slipway.testkit.archfixture.good.orders.persistence.OrderStore;
import jakarta.ws.rs.GET;

/** Good fixture: a REST resource answering with a domain record. */
public class OrdersResource {

  @GET
  public Order get() {
    return new OrderStore().find(1);
  }
}
