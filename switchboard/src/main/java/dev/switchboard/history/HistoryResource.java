package dev.switchboard.history;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.history.HistoryViews.ConversationPage;
import dev.switchboard.history.HistoryViews.MessagePage;

/** Read API over conversations and their history. */
@Path("/conversations")
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
