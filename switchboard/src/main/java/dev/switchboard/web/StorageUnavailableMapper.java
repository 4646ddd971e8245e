package dev.switchboard.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * When storage cannot be reached, say so with 503: Twilio then tries its fallback URL or redelivers, and the idempotent
 * webhook makes the redelivery safe.
 */
public class StorageUnavailableMapper {

    private static final Logger LOG = Logger.getLogger(StorageUnavailableMapper.class);

    @ServerExceptionMapper({ SdkException.class, TimeoutException.class })
    public Response map(Exception e) {
        LOG.warnf("storage unavailable: %s", e.getMessage());
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(503, "storage is unavailable; nothing was stored, deliver again later")).build();
    }
}
