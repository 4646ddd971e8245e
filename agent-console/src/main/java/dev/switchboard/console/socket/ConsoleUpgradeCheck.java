package dev.switchboard.console.socket;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.console.config.ConsoleConfig;

/**
 * Lets a browser open {@code /console/ws} only from an allowed origin (a page elsewhere cannot borrow the cookie). Who
 * may open it is Quarkus security's business: the endpoint is {@code @Authenticated}, and SmallRye JWT reads and
 * verifies the token cookie ({@code mp.jwt.token.cookie}) as for the REST endpoints, so a missing, forged or expired
 * cookie is 401.
 */
@ApplicationScoped
public class ConsoleUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(ConsoleUpgradeCheck.class);

    private final ConsoleConfig config;

    ConsoleUpgradeCheck(ConsoleConfig config) {
        this.config = config;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return ConsoleSocket.class.getName().equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin == null || !allowed(origin, request)) {
            LOG.infof("refused a console socket from origin %s", origin);
            return CheckResult.rejectUpgrade(403);
        }
        return CheckResult.permitUpgrade();
    }

    private boolean allowed(String origin, HttpServerRequest request) {
        List<String> configured = config.allowedOrigins().orElse(null);
        if (configured != null) {
            return configured.contains(origin);
        }
        return origin.equalsIgnoreCase(ownOrigin(request));
    }

    /** The origin the page was served from, as the browser saw it. */
    static String ownOrigin(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-Proto");
        String scheme = forwarded != null ? forwarded.split(",")[0].trim() : request.scheme();
        return scheme + "://" + request.getHeader("Host");
    }
}
