package dev.switchboard.twilio;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * Lets Twilio's own SDK talk to another base URL (the local stand-in): the SDK has no such option, but it takes any
 * {@link HttpClient}. Requests keep their path, query, form body and Basic credentials; only the host changes.
 */
final class StandInHttpClient extends HttpClient {

    private final String base;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    StandInHttpClient(URI base) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public Response makeRequest(Request request) {
        URL url = request.constructURL();
        String target = base + url.getPath() + (url.getQuery() == null ? "" : "?" + url.getQuery());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json");
        if (request.requiresAuthentication()) {
            String pair = request.getUsername() + ":" + request.getPassword();
            builder.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        switch (request.getMethod()) {
        case POST -> builder.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
        case DELETE -> builder.DELETE();
        default -> builder.GET();
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.body(), response.statusCode());
        } catch (IOException e) {
            throw new ApiConnectionException("could not reach " + target + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted calling " + target, e);
        }
    }
}
