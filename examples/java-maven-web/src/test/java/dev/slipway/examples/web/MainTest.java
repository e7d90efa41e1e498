package dev.slipway.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MainTest {

    private static HttpServer server;
    private static HttpClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = Main.start(0, Map.of("GREETING", "Hi from a test", "SLIPWAY_APP_NAME", "ci"));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootServesGreeting() throws Exception {
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        assertEquals("Hi from a test (app: ci)\n", response.body());
    }

    @Test
    void healthIsOk() throws Exception {
        HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void portIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.parsePort(null));
        assertTrue(e.getMessage().contains("PORT is not set"));
        assertThrows(IllegalArgumentException.class, () -> Main.parsePort("http"));
        assertEquals(5000, Main.parsePort("5000"));
    }
}
