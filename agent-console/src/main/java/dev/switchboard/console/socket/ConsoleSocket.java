package dev.switchboard.console.socket;

import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

import dev.switchboard.console.config.ConsoleConfig;
import dev.switchboard.console.enrich.Enrichment;
import dev.switchboard.console.session.SessionCookies;

/**
 * The browsers' socket. Each connection gets an {@link AgentLink} of its own to the switchboard; the handshake was
 * checked by {@link ConsoleUpgradeCheck}, and who is connecting is the {@link SecurityIdentity} Quarkus authenticated
 * for it from the token cookie.
 */
@Authenticated
@WebSocket(path = "/console/ws")
public class ConsoleSocket {

    private static final UserData.TypedKey<AgentLink> LINK = new UserData.TypedKey<>("console.link");

    private final SessionCookies cookies;
    private final ConsoleConfig config;
    private final Instance<Enrichment> enrichment;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final SecurityIdentity identity;

    ConsoleSocket(SessionCookies cookies, ConsoleConfig config, Instance<Enrichment> enrichment, Vertx vertx,
            ObjectMapper json, SecurityIdentity identity) {
        this.cookies = cookies;
        this.identity = identity;
        this.config = config;
        this.enrichment = enrichment;
        this.vertx = vertx;
        this.json = json;
    }

    @OnOpen
    public void open(WebSocketConnection connection) {
        var session = cookies.session(identity).orElse(null);
        if (session == null) {
            // Not the switchboard's token (the handshake check lets no anonymous identity through).
            connection.closeAndAwait(new CloseReason(1008, "not signed in"));
            return;
        }
        AgentLink link = new AgentLink(connection, session, config, vertx, json);
        connection.userData().put(LINK, link);
        link.start(enrichment.get());
    }

    @OnTextMessage
    public void message(String text, WebSocketConnection connection) {
        AgentLink link = connection.userData().get(LINK);
        if (link != null) {
            link.command(text);
        }
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        AgentLink link = connection.userData().get(LINK);
        if (link != null) {
            link.end();
        }
    }
}
