package dev.slipway.examples.web;

import java.util.Map;

/** Builds the text served on {@code GET /} from the process environment. */
public final class Greeting {

    public static final String DEFAULT_GREETING = "Hello from Slipway";

    private Greeting() {
    }

    public static String render(Map<String, String> env) {
        String greeting = env.get("GREETING");
        if (greeting == null || greeting.isBlank()) {
            greeting = DEFAULT_GREETING;
        }
        StringBuilder body = new StringBuilder(greeting);
        String appName = env.get("SLIPWAY_APP_NAME");
        if (appName != null && !appName.isBlank()) {
            body.append(" (app: ").append(appName).append(')');
        }
        return body.append('\n').toString();
    }
}
