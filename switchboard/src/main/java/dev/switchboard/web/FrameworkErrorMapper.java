package dev.switchboard.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Refusals raised by Quarkus REST itself (no such path or method, a content type it cannot read, a body that is not
 * JSON) in the project's JSON error shape, so that a client reads every error the same way.
 */
public class FrameworkErrorMapper {

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return map(json);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, reason(status)));
        // A 405 should say which methods the path has, when the framework says it.
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            response.header(HttpHeaders.ALLOW, allow);
        }
        return response.build();
    }

    /** A body that is not JSON, or not of the shape the endpoint reads. */
    @ServerExceptionMapper
    public Response map(JsonProcessingException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(
                new ApiError(400, "the request body is not the JSON this endpoint reads: " + e.getOriginalMessage()))
                .build();
    }

    /** JSON of the wrong shape; Quarkus's own mapper for it would answer with an empty body. */
    @ServerExceptionMapper
    public Response map(MismatchedInputException e) {
        return map((JsonProcessingException) e);
    }

    /** Fixed words per status: the framework's own messages can echo the request and its internals. */
    static String reason(int status) {
        return switch (status) {
        case 400 -> "the request is malformed";
        case 401 -> "log in (POST /auth/login) and send the token as Authorization: Bearer <token>";
        case 403 -> "this is not allowed";
        case 404 -> "no such resource";
        case 405 -> "this method is not allowed here (see the Allow header)";
        case 406 -> "this resource cannot answer in a type the Accept header allows";
        case 413 -> "the request body is too large";
        case 415 -> "this content type is not accepted here (see the README for what each endpoint reads)";
        default -> status >= 500 ? "internal error" : "the request was refused";
        };
    }
}
