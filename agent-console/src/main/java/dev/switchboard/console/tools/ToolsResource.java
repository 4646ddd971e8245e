package dev.switchboard.console.tools;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

import dev.switchboard.console.session.SessionResource.ApiError;
import dev.switchboard.console.upstream.Unavailable;

/**
 * The browser's way to the switchboard's canned replies, contacts and picture uploads. Quarkus's JWT support reads and
 * verifies the agent's token from the {@code console_token} cookie ({@code mp.jwt.token.cookie}); the call goes on with
 * that token, so the switchboard applies its own rules to the agent.
 */
@Path("/console/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ToolsResource {

    private static final Logger LOG = Logger.getLogger(ToolsResource.class);

    private final JsonWebToken jwt;
    private final SwitchboardTools tools;
    private final MediaRelay media;

    ToolsResource(JsonWebToken jwt, SwitchboardTools tools, MediaRelay media) {
        this.jwt = jwt;
        this.tools = tools;
        this.media = media;
    }

    /**
     * A picture for a reply, its bytes as the body with its own {@code Content-Type}: the switchboard's
     * {@code POST /media}, answering 201 {@code {mediaId, contentType, size}} or its refusal (413, 415).
     */
    @POST
    @Path("media")
    @Consumes(MediaType.WILDCARD)
    public Response uploadMedia(byte[] picture, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return media.upload(jwt.getRawToken(), contentType, picture == null ? new byte[0] : picture);
    }

    /** {@code {replies: [{id, shortcut, text, ...}]}}, as the switchboard's {@code GET /canned-replies}. */
    @GET
    @Path("canned-replies")
    public Response cannedReplies() {
        return tools.cannedReplies(jwt.getRawToken());
    }

    /**
     * {@code {agents: [{agent, displayName, free, capacity}]}}, as the switchboard's
     * {@code GET /agents?available=true}.
     */
    @GET
    @Path("agents/available")
    public Response availableAgents() {
        return tools.availableAgents(jwt.getRawToken());
    }

    /** The switchboard's {@code GET /conversations/search?q=}: any conversation, resolved ones too. */
    @GET
    @Path("conversations/search")
    public Response search(@RestQuery String q) {
        return tools.search(jwt.getRawToken(), q);
    }

    /** A conversation's history, newest first, as the switchboard's {@code GET /conversations/{customer}/messages}. */
    @GET
    @Path("conversations/{customer}/messages")
    public Response messages(@RestPath String customer, @RestQuery Integer limit) {
        return tools.messages(jwt.getRawToken(), customer, limit);
    }

    @GET
    @Path("contacts/{customer}")
    public Response contact(@RestPath String customer) {
        return tools.contact(jwt.getRawToken(), customer);
    }

    @PUT
    @Path("contacts/{customer}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response putContact(@RestPath String customer, JsonNode contact) {
        if (contact == null || !contact.isObject()) {
            return error(400, "a JSON body {name, notes} is required");
        }
        return tools.putContact(jwt.getRawToken(), customer, contact);
    }

    @ServerExceptionMapper
    Response unavailable(Unavailable e) {
        LOG.warnf("switchboard call for %s failed: %s", jwt.getName(), e.getMessage());
        return error(503, "the switchboard is not answering; try again in a moment");
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    Response unauthorized() {
        return error(401, "not signed in, or the sign-in expired");
    }

    private static Response error(int status, String reason) {
        return Response.status(status).entity(new ApiError(status, reason)).type(MediaType.APPLICATION_JSON).build();
    }
}
