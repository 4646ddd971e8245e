package dev.switchboard.search;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.agents.Roles;

/** {@code GET /conversations/search?q=}: conversations by part of the number or of the contact name, any state. */
@Path("/conversations/search")
@RolesAllowed({ Roles.AGENT, Roles.ADMIN })
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    private final ConversationSearch search;

    SearchResource(ConversationSearch search) {
        this.search = search;
    }

    @GET
    public ConversationSearch.Found search(@RestQuery String q) {
        return search.search(q);
    }
}
