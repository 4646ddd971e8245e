package dev.switchboard.console.tools;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.console.upstream.Switchboard;
import dev.switchboard.console.upstream.Unavailable;

/**
 * The agent's tools that live in the switchboard (canned replies, contacts), called with the agent's own token. Each
 * call is idempotent (reads, and a contact's replacement), so an unanswered one is retried (see
 * {@code application.properties}); the switchboard's own answers, refusals included, are passed on as they came.
 */
@ApplicationScoped
@Retry(retryOn = Unavailable.class)
public class SwitchboardTools {

    private final Switchboard switchboard;
    private final ObjectMapper json;

    SwitchboardTools(Switchboard switchboard, ObjectMapper json) {
        this.switchboard = switchboard;
        this.json = json;
    }

    public Response cannedReplies(String token) {
        return relay(() -> switchboard.api().cannedReplies(bearer(token)));
    }

    public Response contact(String token, String customer) {
        return relay(() -> switchboard.api().contact(bearer(token), customer));
    }

    public Response availableAgents(String token) {
        return relay(() -> switchboard.api().availableAgents(bearer(token), true));
    }

    public Response search(String token, String q) {
        return relay(() -> switchboard.api().search(bearer(token), q));
    }

    public Response messages(String token, String customer, Integer limit) {
        return relay(() -> switchboard.api().messages(bearer(token), customer, limit));
    }

    public Response putContact(String token, String customer, JsonNode contact) {
        return relay(() -> switchboard.api().putContact(bearer(token), customer, contact));
    }

    private interface Call {
        Response send();
    }

    private Response relay(Call call) {
        try (Response response = call.send()) {
            int status = response.getStatus();
            if (status >= 500 || status == 429) {
                throw new Unavailable("switchboard answered " + status, null);
            }
            JsonNode body = response.hasEntity() ? response.readEntity(JsonNode.class) : null;
            return Response.status(status).entity(body == null ? json.createObjectNode() : body)
                    .type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").build();
        } catch (ProcessingException e) {
            throw new Unavailable("switchboard unreachable: " + e.getMessage(), e);
        }
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
