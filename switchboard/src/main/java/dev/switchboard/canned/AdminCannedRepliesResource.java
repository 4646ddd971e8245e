package dev.switchboard.canned;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.security.identity.SecurityIdentity;

import dev.switchboard.agents.Roles;

/** Writing canned replies, for admins. */
@Path("/admin/canned-replies")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminCannedRepliesResource {

    private final CannedService canned;
    private final SecurityIdentity identity;

    AdminCannedRepliesResource(CannedService canned, SecurityIdentity identity) {
        this.canned = canned;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public CannedReply create(CannedRules.Draft draft) {
        return canned.create(draft, identity.getPrincipal().getName());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public CannedReply replace(@RestPath String id, CannedRules.Draft draft) {
        return canned.replace(id, draft, identity.getPrincipal().getName());
    }

    @DELETE
    @Path("{id}")
    public void delete(@RestPath String id) {
        canned.delete(id);
    }
}
