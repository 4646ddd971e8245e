package dev.switchboard.agents;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.security.identity.SecurityIdentity;

/** Agent management, for admins. Responses carry agents as {@link Agent}: never a password or its hash. */
@Path("/admin/agents")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminAgentsResource {

    public record AgentList(List<Agent> agents) {
    }

    private final AgentService agents;
    private final SecurityIdentity identity;

    AdminAgentsResource(AgentService agents, SecurityIdentity identity) {
        this.agents = agents;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Agent create(AgentService.NewAgent request) {
        return agents.create(request);
    }

    @GET
    public AgentList list() {
        return new AgentList(agents.list());
    }

    @POST
    @Path("{agent}/disable")
    public void disable(@RestPath String agent) {
        agents.setDisabled(agent, true, identity.getPrincipal().getName());
    }

    @POST
    @Path("{agent}/enable")
    public void enable(@RestPath String agent) {
        agents.setDisabled(agent, false, identity.getPrincipal().getName());
    }
}
