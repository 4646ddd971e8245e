package dev.switchboard.console.tools;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.console.upstream.Switchboard;
import dev.switchboard.console.upstream.Unavailable;

/**
 * Passes an agent's picture on to the switchboard's {@code POST /media}, with the agent's token. Unlike the other tools
 * it is not retried: an upload whose answer was lost may have been stored, and a second one would store it twice; the
 * agent sees the failure and attaches again. The switchboard's own answer, refusals included, is passed on as it came.
 */
@ApplicationScoped
public class MediaRelay {

    private final Switchboard switchboard;
    private final ObjectMapper json;

    MediaRelay(Switchboard switchboard, ObjectMapper json) {
        this.switchboard = switchboard;
        this.json = json;
    }

    public Response upload(String token, String contentType, byte[] picture) {
        try (Response response = switchboard.api().uploadMedia("Bearer " + token, contentType, picture)) {
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
}
