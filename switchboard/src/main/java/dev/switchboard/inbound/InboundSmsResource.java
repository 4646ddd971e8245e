package dev.switchboard.inbound;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.twilio.WebhookReader;

/** Twilio's inbound-message webhook. Adapts HTTP to {@link InboundService} and answers with empty TwiML. */
@Path("/twilio/messages")
public class InboundSmsResource {

    static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private final InboundService inbound;
    private final WebhookReader reader;

    InboundSmsResource(InboundService inbound, WebhookReader reader) {
        this.inbound = inbound;
        this.reader = reader;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_XML)
    public String receive(InputStream body, HttpServerRequest request) throws IOException {
        inbound.receive(reader.read(body, request));
        return EMPTY_TWIML;
    }
}
