package dev.slipway.testkit.archfixture.good.orders.persistence;

import dev.slipway.testkit.archfixture.good.orders.Order;

/** Good fixture: the store maps entities to domain records at the persistence boundary. */
public class OrderStore {

  public Order find(long id) {
    OrderEntity entity = new OrderEntity();
    entity.id = id;
    return new Order(entity.id);
  }
}
