package dev.switchboard.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Refusals by Quarkus Security in the project's JSON error shape. This works because authentication is not proactive
 * ({@code quarkus.http.auth.proactive=false}): it happens inside the REST layer, where these mappers apply.
 */
public class SecurityExceptionMapper {

    @ServerExceptionMapper
    public Response missing(UnauthorizedException e) {
        return unauthorized("log in (POST /auth/login) and send the token as Authorization: Bearer <token>");
    }

    @ServerExceptionMapper
    public Response refused(AuthenticationFailedException e) {
        return unauthorized("the token is invalid or expired, or its agent is disabled: log in again");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(403, "your roles do not allow this")).build();
    }

    private static Response unauthorized(String reason) {
        return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(401, reason)).build();
    }
}
