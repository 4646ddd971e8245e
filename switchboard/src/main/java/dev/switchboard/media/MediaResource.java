package dev.switchboard.media;

import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

import dev.switchboard.agents.Roles;

/**
 * {@code POST /media}: an agent uploads a picture (the raw bytes, {@code Content-Type} image/jpeg, image/png or
 * image/gif) to send with a reply; answers 201 {@code {mediaId, contentType, size}}.
 */
@Path(MediaResource.PATH)
@RolesAllowed({ Roles.AGENT, Roles.ADMIN })
public class MediaResource {

    /** Its body cap is its own ({@code switchboard.media.max-upload-bytes}), not the one of the JSON endpoints. */
    public static final String PATH = "/media";

    private final MediaUploads uploads;
    private final SecurityIdentity identity;

    MediaResource(MediaUploads uploads, SecurityIdentity identity) {
        this.uploads = uploads;
        this.identity = identity;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) throws IOException {
        MediaUploads.Uploaded uploaded = uploads.upload(identity.getPrincipal().getName(), contentType, contentLength,
                body);
        return Response.status(201).entity(uploaded).build();
    }
}
