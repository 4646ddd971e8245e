package dev.switchboard.history;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.agents.Roles;
import dev.switchboard.history.HistoryViews.ConversationPage;
import dev.switchboard.history.HistoryViews.MessagePage;

/** Read API over conversations and their history, for logged-in agents and admins. */
@Path("/conversations")
@RolesAllowed({ Roles.AGENT, Roles.ADMIN })
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private final HistoryService history;

    HistoryResource(HistoryService history) {
        this.history = history;
    }

    @GET
    public ConversationPage conversations(@RestQuery String state, @RestQuery Integer limit, @RestQuery String cursor) {
        return history.conversations(state, limit, cursor);
    }

    @GET
    @Path("{customer}/messages")
    public MessagePage messages(@RestPath String customer, @RestQuery Integer limit, @RestQuery String before) {
        return history.messages(customer, limit, before);
    }
}
