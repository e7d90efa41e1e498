package dev.slipway.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GreetingTest {

    @Test
    void defaultGreetingWhenUnset() {
        assertEquals("Hello from Slipway\n", Greeting.render(Map.of()));
    }

    @Test
    void greetingFromEnvironment() {
        assertEquals("Howdy\n", Greeting.render(Map.of("GREETING", "Howdy")));
    }

    @Test
    void includesAppNameWhenSet() {
        assertEquals("Howdy (app: shop-staging)\n",
                Greeting.render(Map.of("GREETING", "Howdy", "SLIPWAY_APP_NAME", "shop-staging")));
    }
}
