package dev.switchboard.console.socket;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

import dev.switchboard.console.config.ConsoleConfig;
import dev.switchboard.console.session.SessionCookies;

/**
 * Lets a browser open {@code /console/ws} only from an allowed origin (a page elsewhere cannot borrow the cookie) and
 * only with a valid token cookie.
 */
@ApplicationScoped
public class ConsoleUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(ConsoleUpgradeCheck.class);

    private final SessionCookies cookies;
    private final ConsoleConfig config;

    ConsoleUpgradeCheck(SessionCookies cookies, ConsoleConfig config) {
        this.cookies = cookies;
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
        if (cookies.fromCookieHeader(request.getHeader("Cookie")).isEmpty()) {
            return CheckResult.rejectUpgrade(401);
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
