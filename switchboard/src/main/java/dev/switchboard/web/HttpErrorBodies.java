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
 * body declared larger than {@code switchboard.http.max-body-size} (413; on {@code /media}, larger than the backstop
 * {@code quarkus.http.limits.max-body-size}, the upload checking its own smaller cap). Quarkus answers a body over its
 * backstop with an empty body before any route runs, so the checks are made here first, just after
 * {@code RequestDrain}.
 */
@ApplicationScoped
public class HttpErrorBodies {

    /** Before Quarkus's own size check (order -2), after the drain (first of all). */
    static final int ORDER = Integer.MIN_VALUE + 1;

    /** The picture upload, whose cap is larger than the JSON endpoints' (named here: media depends on web). */
    static final String MEDIA_PATH = "/media";

    private final long maxBodyBytes;
    private final long backstopBytes;
    private final ObjectMapper json;

    HttpErrorBodies(HttpLimits limits, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize backstop,
            ObjectMapper json) {
        this.maxBodyBytes = limits.maxBodySize().asLongValue();
        this.backstopBytes = backstop.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::checkDeclaredLength);
        router.errorHandler(404, context -> answer(context, 404, FrameworkErrorMapper.reason(404)));
    }

    private void checkDeclaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean media = MEDIA_PATH.equals(context.normalizedPath());
        long limit = media ? backstopBytes : maxBodyBytes;
        if (declared != null && isOver(declared, limit)) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            answer(context, 413, "the request body is over " + limit + " bytes ("
                    + (media ? "quarkus.http.limits.max-body-size" : "switchboard.http.max-body-size") + ")");
            return;
        }
        context.next();
    }

    private static boolean isOver(String declared, long limit) {
        try {
            return Long.parseLong(declared.trim()) > limit;
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
