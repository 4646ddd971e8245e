package dev.switchboard.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The refusals answered below the REST layer, in the project's JSON error shape: a path no route serves (404), and a
 * body declared larger than {@code quarkus.http.limits.max-body-size} (413). Quarkus answers the latter with an empty
 * body before any route runs, so the same check is made here first, just after {@code RequestDrain}.
 */
@ApplicationScoped
public class HttpErrorBodies {

    /** Before Quarkus's own size check (order -2), after the drain (first of all). */
    static final int ORDER = Integer.MIN_VALUE + 1;

    private final long maxBodyBytes;
    private final ObjectMapper json;

    HttpErrorBodies(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper json) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::checkDeclaredLength);
        router.errorHandler(404, context -> answer(context, 404, FrameworkErrorMapper.reason(404)));
    }

    private void checkDeclaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && isOver(declared)) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            answer(context, 413,
                    "the request body is over " + maxBodyBytes + " bytes (quarkus.http.limits.max-body-size)");
            return;
        }
        context.next();
    }

    private boolean isOver(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            // Quarkus and Netty refuse a malformed length themselves.
            return false;
        }
    }

    private void answer(RoutingContext context, int status, String reason) {
        String body;
        try {
            body = json.writeValueAsString(new ApiError(status, reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body could not be written", e);
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}
