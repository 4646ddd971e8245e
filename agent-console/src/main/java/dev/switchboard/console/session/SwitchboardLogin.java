package dev.switchboard.console.session;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.console.upstream.Switchboard;
import dev.switchboard.console.upstream.Unavailable;

/**
 * The switchboard's {@code POST /auth/login}, through the console's REST client. Unreachable, slow or failing
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

    private final Switchboard switchboard;
    private final ObjectMapper json;

    SwitchboardLogin(Switchboard switchboard, ObjectMapper json) {
        this.switchboard = switchboard;
        this.json = json;
    }

    @Retry(retryOn = Unavailable.class)
    public Result login(String agent, String password) {
        JsonNode credentials = json.createObjectNode().put("agent", agent == null ? "" : agent).put("password",
                password == null ? "" : password);
        int status;
        JsonNode answer;
        try (Response response = switchboard.api().login(credentials)) {
            status = response.getStatus();
            if (status >= 500 || status == 429) {
                throw new Unavailable("switchboard answered " + status, null);
            }
            answer = read(response);
        } catch (ProcessingException e) {
            // Connection refused, reset or timed out (console.switchboard-timeout).
            throw new Unavailable("switchboard unreachable: " + e.getMessage(), e);
        }
        if (status == 200) {
            try {
                Set<String> roles = new TreeSet<>();
                answer.path("roles").forEach(role -> roles.add(role.asText()));
                return new Granted(answer.get("token").asText(), Instant.parse(answer.get("expiresAt").asText()),
                        answer.get("agent").asText(), answer.path("displayName").asText(answer.get("agent").asText()),
                        roles);
            } catch (RuntimeException e) {
                throw new Unavailable("switchboard answered 200 with an unreadable body", e);
            }
        }
        return new Refused(status, answer.path("reason").asText("refused"));
    }

    private JsonNode read(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(JsonNode.class) : json.createObjectNode();
        } catch (ProcessingException | IllegalStateException e) {
            return json.createObjectNode();
        }
    }
}
