package dev.switchboard.console.session;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.Authenticated;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

import dev.switchboard.console.upstream.Unavailable;

/**
 * Sign-in for the browser: trades a name and password for the switchboard's token, kept in an HttpOnly cookie the
 * page's script never sees.
 */
@Path("/console/api")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private static final Logger LOG = Logger.getLogger(SessionResource.class);

    public record LoginRequest(String agent, String password) {
    }

    /** Who is signed in, until when. */
    public record Who(String agent, String displayName, Set<String> roles, Instant expiresAt) {
    }

    /** An error, shaped like the switchboard's. */
    public record ApiError(int status, String reason) {
    }

    private final SwitchboardLogin switchboard;
    private final SessionCookies cookies;
    private final JsonWebToken jwt;

    SessionResource(SwitchboardLogin switchboard, SessionCookies cookies, JsonWebToken jwt) {
        this.switchboard = switchboard;
        this.cookies = cookies;
        this.jwt = jwt;
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(LoginRequest request, @Context UriInfo uri, @Context HttpHeaders headers) {
        if (request == null || blank(request.agent()) || blank(request.password())) {
            return error(400, "agent and password are required");
        }
        SwitchboardLogin.Result result;
        try {
            result = switchboard.login(request.agent().trim(), request.password());
        } catch (Unavailable e) {
            LOG.warnf("login of %s: %s", request.agent(), e.getMessage());
            return error(503, "the switchboard is not answering; try again in a moment");
        }
        if (result instanceof SwitchboardLogin.Refused refused) {
            int status = refused.status() == 401 || refused.status() == 403 || refused.status() == 400
                    ? refused.status() : 401;
            return error(status, refused.reason());
        }
        SwitchboardLogin.Granted granted = (SwitchboardLogin.Granted) result;
        if (cookies.verify(granted.token()).isEmpty()) {
            // A console holding another key than the switchboard's would sign everyone in and then refuse them.
            LOG.errorf("the switchboard's token for %s does not verify here: is SWITCHBOARD_JWT_PUBLIC_KEY the "
                    + "switchboard's public key?", granted.agent());
            return error(503, "the console cannot verify the switchboard's tokens");
        }
        return Response
                .ok(new Who(granted.agent(), granted.displayName(), new TreeSet<>(granted.roles()),
                        granted.expiresAt()))
                .cookie(cookies.issue(granted.token(), granted.displayName(), granted.expiresAt(), https(uri, headers)))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("logout")
    public Response logout(@Context UriInfo uri, @Context HttpHeaders headers) {
        return Response.noContent().cookie(cookies.clear(https(uri, headers))).build();
    }

    /** Quarkus's JWT support reads and verifies the token from the cookie ({@code mp.jwt.token.cookie}). */
    @GET
    @Path("me")
    @Authenticated
    public Response me(@Context HttpHeaders headers) {
        Cookie nameCookie = headers.getCookies().get(cookies.nameCookie());
        String name = cookies.displayName(nameCookie == null ? null : nameCookie.getValue()).orElse(jwt.getName());
        return Response.ok(new Who(jwt.getName(), name, new TreeSet<>(jwt.getGroups()),
                Instant.ofEpochSecond(jwt.getExpirationTime()))).header("Cache-Control", "no-store").build();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    Response unauthorized() {
        return error(401, "not signed in, or the sign-in expired");
    }

    /** Directly over HTTPS, or through a load balancer that terminated it. */
    static boolean https(UriInfo uri, HttpHeaders headers) {
        String forwarded = headers.getHeaderString("X-Forwarded-Proto");
        if (forwarded != null) {
            return "https".equalsIgnoreCase(forwarded.split(",")[0].trim());
        }
        return "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Response error(int status, String reason) {
        return Response.status(status).entity(new ApiError(status, reason)).type(MediaType.APPLICATION_JSON).build();
    }
}
