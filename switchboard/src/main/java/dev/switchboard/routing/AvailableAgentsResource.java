package dev.switchboard.routing;

import java.util.Comparator;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.switchboard.agents.AgentStore;
import dev.switchboard.agents.Roles;
import dev.switchboard.web.ApiException;

/**
 * Who a conversation can be transferred to now: agents that routing itself would give one to (available, connected,
 * heartbeat fresh, room left), most free capacity first. For any agent; no presence detail beyond that.
 */
@Path("/agents")
@RolesAllowed({ Roles.AGENT, Roles.ADMIN })
@Produces(MediaType.APPLICATION_JSON)
public class AvailableAgentsResource {

    /** One agent with room: {@code free} conversations more they can take. */
    public record AvailableAgent(String agent, String displayName, int free, int capacity) {
    }

    public record AvailableAgents(List<AvailableAgent> agents) {
    }

    private final Router router;
    private final AgentStore agents;

    AvailableAgentsResource(Router router, AgentStore agents) {
        this.router = router;
        this.agents = agents;
    }

    @GET
    public AvailableAgents available(@QueryParam("available") Boolean available) {
        if (!Boolean.TRUE.equals(available)) {
            throw ApiException.badRequest("only available=true is offered: the agents with room now");
        }
        List<AvailableAgent> list = router.candidates().stream()
                .flatMap(p -> agents.find(p.agent()).filter(a -> !a.disabled()).stream()
                        .map(a -> new AvailableAgent(p.agent(), a.displayName(), p.free(), p.capacity())))
                .sorted(Comparator.comparingInt(AvailableAgent::free).reversed().thenComparing(AvailableAgent::agent))
                .toList();
        return new AvailableAgents(list);
    }
}
