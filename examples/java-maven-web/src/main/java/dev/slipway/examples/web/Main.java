package dev.slipway.examples.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A tiny web process, Heroku style: it listens on {@code $PORT} and answers
 * {@code GET /} with a greeting and {@code GET /health} with {@code ok}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        int port;
        try {
            port = parsePort(System.getenv("PORT"));
        } catch (IllegalArgumentException e) {
            System.err.println("java-maven-web: " + e.getMessage());
            System.exit(2);
            return;
        }
        HttpServer server = start(port, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        System.out.println("java-maven-web listening on port " + server.getAddress().getPort());
    }

    /** Parses {@code $PORT}; rejects a missing or malformed value with a clear message. */
    static int parsePort(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("PORT is not set; set PORT to the TCP port to listen on (e.g. PORT=5000)");
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number between 0 and 65535, got '" + value + "'");
        }
    }

    /** Starts the server on {@code port} (0 picks a free port) and returns it. */
    static HttpServer start(int port, Map<String, String> env) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "method not allowed\n");
            } else if ("/".equals(path)) {
                respond(exchange, 200, Greeting.render(env));
            } else if ("/health".equals(path)) {
                respond(exchange, 200, "ok\n");
            } else {
                respond(exchange, 404, "not found\n");
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }
}
