package dev.switchboard.console.session;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

import dev.switchboard.console.config.ConsoleConfig;

/**
 * The only state of a signed-in agent: their switchboard token in an HttpOnly cookie scoped to {@code /console}, and
 * their display name in a second one. Nothing is kept on the server, so any console instance serves any agent.
 */
@ApplicationScoped
public class SessionCookies {

    private static final Logger LOG = Logger.getLogger(SessionCookies.class);
    static final String PATH = "/console";

    private final JWTParser parser;
    private final ConsoleConfig config;

    SessionCookies(JWTParser parser, ConsoleConfig config) {
        this.parser = parser;
        this.config = config;
    }

    public String tokenCookie() {
        return config.cookie().name();
    }

    public String nameCookie() {
        return config.cookie().name() + "_name";
    }

    /**
     * Verifies a raw token the switchboard just issued (signature with its public key, issuer, expiry), before it is
     * put in a cookie. Requests carrying the cookie are authenticated by Quarkus, see {@link #session}.
     */
    public Optional<Session> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonWebToken jwt = parser.parse(token);
            if (jwt.getName() == null) {
                return Optional.empty();
            }
            return Optional.of(new Session(jwt.getName(), new HashSet<>(jwt.getGroups()),
                    Instant.ofEpochSecond(jwt.getExpirationTime()), token));
        } catch (ParseException e) {
            LOG.debugf("cookie token refused: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The session of an identity Quarkus authenticated from the token cookie (SmallRye JWT, {@code mp.jwt.token.cookie}
     * in {@code application.properties}), if it is one.
     */
    public Optional<Session> session(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || jwt.getName() == null || jwt.getRawToken() == null) {
            return Optional.empty();
        }
        return Optional.of(new Session(jwt.getName(), new HashSet<>(jwt.getGroups()),
                Instant.ofEpochSecond(jwt.getExpirationTime()), jwt.getRawToken()));
    }

    /** The display name cookie's value, if any. */
    public Optional<String> displayName(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank())
                .map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8));
    }

    /** The cookies of a new session, living exactly as long as its token. */
    public NewCookie[] issue(String token, String displayName, Instant expiresAt, boolean https) {
        int maxAge = (int) Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        return new NewCookie[] { cookie(tokenCookie(), token, maxAge, https),
                cookie(nameCookie(), URLEncoder.encode(displayName, StandardCharsets.UTF_8), maxAge, https) };
    }

    /** Cookies that make the browser forget the session at once. */
    public NewCookie[] clear(boolean https) {
        return new NewCookie[] { cookie(tokenCookie(), "", 0, https), cookie(nameCookie(), "", 0, https) };
    }

    private NewCookie cookie(String name, String value, int maxAge, boolean https) {
        // SameSite=Strict: no other site's page can make the browser send it, which is what keeps the cookie-only
        // login safe from cross-site requests.
        return new NewCookie.Builder(name).value(value).path(PATH).maxAge(maxAge).httpOnly(true)
                .secure(config.cookie().secure() || https).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
