package dev.switchboard.console.upstream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The switchboard's HTTP API as the console calls it (a Quarkus REST Client, built by {@link Switchboard}). Answers
 * come back as {@link Response} whatever their status (the default exception mapper is off), so that the switchboard's
 * refusals reach the browser with its own status and reason.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SwitchboardApi {

    /** {@code POST /auth/login {agent, password}}. */
    @POST
    @Path("auth/login")
    Response login(JsonNode credentials);

    /** {@code GET /canned-replies}, as the agent. */
    @GET
    @Path("canned-replies")
    Response cannedReplies(@HeaderParam("Authorization") String bearer);

    /** {@code GET /contacts/{customer}}, as the agent. */
    @GET
    @Path("contacts/{customer}")
    Response contact(@HeaderParam("Authorization") String bearer, @PathParam("customer") String customer);

    /** {@code GET /agents?available=true}: agents with room, for the transfer picker, as the agent. */
    @GET
    @Path("agents")
    Response availableAgents(@HeaderParam("Authorization") String bearer, @QueryParam("available") boolean available);

    /** {@code GET /conversations/search?q=}, as the agent. */
    @GET
    @Path("conversations/search")
    Response search(@HeaderParam("Authorization") String bearer, @QueryParam("q") String q);

    /** {@code GET /conversations/{customer}/messages?limit=}, as the agent. */
    @GET
    @Path("conversations/{customer}/messages")
    Response messages(@HeaderParam("Authorization") String bearer, @PathParam("customer") String customer,
            @QueryParam("limit") Integer limit);

    /**
     * {@code POST /media}: a picture's bytes, as the agent, with the browser's {@code Content-Type} (image/jpeg,
     * image/png or image/gif), which the switchboard checks against the bytes.
     */
    @POST
    @Path("media")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Response uploadMedia(@HeaderParam("Authorization") String bearer, @HeaderParam("Content-Type") String contentType,
            byte[] picture);

    /** {@code PUT /contacts/{customer} {name, notes}}, as the agent. */
    @PUT
    @Path("contacts/{customer}")
    Response putContact(@HeaderParam("Authorization") String bearer, @PathParam("customer") String customer,
            JsonNode contact);
}
