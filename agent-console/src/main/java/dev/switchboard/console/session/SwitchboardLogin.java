package dev.switchboard.console.session;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.console.config.ConsoleConfig;

/**
 * The switchboard's {@code POST /auth/login}, the one HTTP call the console makes. Unreachable, slow or failing
 * switchboards are retried a little (see {@code application.properties}), then reported as unavailable.
 */
@ApplicationScoped
public class SwitchboardLogin {

    /** The switchboard's answer to a name and password. */
    public sealed interface Result {
    }

    /** Signed in: the token and who it is for. */
    public record Granted(String token, Instant expiresAt, String agent, String displayName, Set<String> roles)
            implements Result {
    }

    /** Refused (401 wrong name or password, 403 disabled, 400 malformed), with the switchboard's reason. */
    public record Refused(int status, String reason) implements Result {
    }

    /** The switchboard did not answer usefully in time. */
    public static class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ConsoleConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    SwitchboardLogin(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.switchboardTimeout()).build();
    }

    @Retry(retryOn = Unavailable.class)
    public Result login(String agent, String password) {
        URI uri = config.switchboardUrl().orElseThrow().resolve("/auth/login");
        HttpResponse<String> response;
        try {
            String body = json.writeValueAsString(
                    Map.of("agent", agent == null ? "" : agent, "password", password == null ? "" : password));
            response = http.send(
                    HttpRequest.newBuilder(uri).timeout(config.switchboardTimeout())
                            .header("Content-Type", "application/json").header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable("switchboard unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw new Unavailable("switchboard answered " + status, null);
        }
        try {
            JsonNode answer = json.readTree(response.body());
            if (status == 200) {
                Set<String> roles = new java.util.TreeSet<>();
                answer.path("roles").forEach(role -> roles.add(role.asText()));
                return new Granted(answer.path("token").asText(), Instant.parse(answer.path("expiresAt").asText()),
                        answer.path("agent").asText(), answer.path("displayName").asText(answer.path("agent").asText()),
                        roles);
            }
            return new Refused(status, answer.path("reason").asText("refused"));
        } catch (IOException | RuntimeException e) {
            if (status == 200) {
                throw new Unavailable("switchboard answered 200 with an unreadable body", e);
            }
            return new Refused(status, "refused");
        }
    }
}
