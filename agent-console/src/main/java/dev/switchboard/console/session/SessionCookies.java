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

    /** Verifies a raw token: signature (the switchboard's public key), issuer and expiry. */
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

    /** The session a raw {@code Cookie} header carries, if its token is valid. */
    public Optional<Session> fromCookieHeader(String header) {
        return cookie(header, tokenCookie()).flatMap(this::verify);
    }

    /** The display name cookie's value, if any. */
    public Optional<String> displayName(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank())
                .map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8));
    }

    /** One cookie's value from a {@code Cookie} header ({@code a=1; b=2}). */
    public static Optional<String> cookie(String header, String name) {
        if (header == null) {
            return Optional.empty();
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return Optional.of(value);
            }
        }
        return Optional.empty();
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
