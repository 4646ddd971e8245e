package dev.switchboard.canned;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.switchboard.agents.Roles;

/** Canned replies, for every agent's composer. */
@Path("/canned-replies")
@RolesAllowed({ Roles.AGENT, Roles.ADMIN })
@Produces(MediaType.APPLICATION_JSON)
public class CannedRepliesResource {

    /** Every canned reply, by shortcut. */
    public record CannedReplies(List<CannedReply> replies) {
    }

    private final CannedService canned;

    CannedRepliesResource(CannedService canned) {
        this.canned = canned;
    }

    @GET
    public CannedReplies list() {
        return new CannedReplies(canned.list());
    }
}
