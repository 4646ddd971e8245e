package dev.switchboard.agents;

import java.time.Instant;
import java.util.SortedSet;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import io.vertx.core.http.HttpServerRequest;

/** Exchanges an agent's name and password for a token. */
@Path("/auth")
@PermitAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    public record LoginRequest(String agent, String password) {
    }

    /** {@code token} goes into {@code Authorization: Bearer …} until {@code expiresAt}. */
    public record LoginResponse(String token, Instant expiresAt, String agent, String displayName,
            SortedSet<String> roles) {
    }

    private final AgentService agents;

    AuthResource(AgentService agents) {
        this.agents = agents;
    }

    @POST
    @Path("login")
    public LoginResponse login(LoginRequest request, @Context HttpServerRequest http) {
        // As Quarkus resolved it: X-Forwarded-For counts only from quarkus.http.proxy.trusted-proxies.
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        AgentService.LoginResult result = request == null ? agents.login(null, null, address)
                : agents.login(request.agent(), request.password(), address);
        Agent agent = result.agent();
        return new LoginResponse(result.token().token(), result.token().expiresAt(), agent.agent(), agent.displayName(),
                agent.roles());
    }
}
