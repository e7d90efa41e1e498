package dev.slipway.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.slipway.cli.CliException;
import dev.slipway.cli.config.Endpoints;
import dev.slipway.cli.config.Service;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/** Calls the services' REST APIs with the resolved token, turning API errors into messages. */
public class ApiClient {

  public static final ObjectMapper JSON = new ObjectMapper();

  private final Endpoints endpoints;
  private final HttpClient http;

  public ApiClient(Endpoints endpoints) {
    this.endpoints = endpoints;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  public JsonNode get(Service service, String path) {
    return json(send(service, request(service, path).GET(), "application/json"));
  }

  public JsonNode post(Service service, String path, Object body) {
    return json(send(service, withBody(request(service, path), "POST", body), "application/json"));
  }

  public JsonNode patch(Service service, String path, Object body) {
    return json(send(service, withBody(request(service, path), "PATCH", body), "application/json"));
  }

  public void delete(Service service, String path) {
    send(service, request(service, path).DELETE(), "application/json");
  }

  /** A log's text so far. */
  public String text(Service service, String path) {
    return send(service, request(service, path).GET(), "text/plain");
  }

  /**
   * Follows a server-sent-event stream, handing each event's data to {@code onEvent} until the
   * server ends the stream.
   */
  public void follow(Service service, String path, Consumer<String> onEvent) {
    HttpRequest request =
        request(service, path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(service, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() >= 300) {
        throw failure(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      ServerSentEvents events = new ServerSentEvents(onEvent);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        events.accept(line);
      }
      events.end();
    } catch (IOException e) {
      throw new CliException("the log stream from " + service.serviceName() + " broke: " + e);
    }
  }

  /** Posts a raw body with extra headers, answering the status and body (for webhooks). */
  public HttpResponse<String> postRaw(URI url, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ServiceUnreachableException("cannot reach " + url + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private HttpRequest.Builder request(Service service, String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(endpoints.url(service) + path))
            .timeout(Duration.ofSeconds(60));
    endpoints.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private static HttpRequest.Builder withBody(HttpRequest.Builder b, String method, Object body) {
    try {
      return b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new CliException("cannot encode the request: " + e.getMessage());
    }
  }

  private String send(Service service, HttpRequest.Builder builder, String accept) {
    HttpResponse<String> response;
    try {
      response =
          http.send(builder.header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unreachable(service, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    if (response.statusCode() >= 300) {
      throw failure(response.statusCode(), response.body());
    }
    return response.body();
  }

  private static JsonNode json(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CliException("the server answered something that is not JSON: " + body);
    }
  }

  /** The API's own message when it sent one ({@code {status, message, field}}), else the status. */
  static CliException failure(int status, String body) {
    String message = null;
    try {
      JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        message = node.get("message").asText();
      }
    } catch (IOException e) {
      // not an ApiError body: fall back to the status
    }
    if (message == null) {
      message =
          switch (status) {
            case 401 -> "not authenticated: set --token or SLIPWAY_TOKEN (or run `slipway up`)";
            case 403 -> "forbidden: the token's role may not do this";
            case 404 -> "not found";
            default -> "the server answered HTTP " + status;
          };
    }
    return new ApiException(status, message);
  }

  private CliException unreachable(Service service, IOException e) {
    return new ServiceUnreachableException(
        "cannot reach "
            + service.serviceName()
            + " at "
            + endpoints.url(service)
            + ": "
            + describe(e)
            + " (is `slipway up` running?)");
  }

  private static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
      return "timed out";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
