package dev.switchboard.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.history.MediaItem;
import dev.switchboard.history.Message;
import dev.switchboard.media.MediaConfig;
import dev.switchboard.media.MediaStore;
import dev.switchboard.media.MediaUploads;

/**
 * The pictures of an agent's reply: the {@code media} ids of a {@code response} or {@code start}, checked before
 * anything is stored (each one uploaded by this agent, at most {@code switchboard.media.max-per-message}, at most
 * {@code switchboard.media.max-total-bytes} together), and the presigned URLs Twilio fetches them by.
 */
@ApplicationScoped
public class Attachments {

    private final MediaStore store;
    private final MediaConfig config;

    Attachments(MediaStore store, MediaConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * @return the pictures as stored media of the reply, in the order given; empty for none
     *
     * @throws AgentActionRefused
     *             {@code bad_media} for an unknown id, someone else's upload, a repeated id, too many or too big
     */
    public List<MediaItem> resolve(String agent, List<String> mediaIds) {
        if (mediaIds == null || mediaIds.isEmpty()) {
            return List.of();
        }
        if (mediaIds.size() > config.maxPerMessage()) {
            throw new AgentActionRefused("bad_media", "a message carries at most " + config.maxPerMessage()
                    + " pictures (switchboard.media.max-per-message); this one has " + mediaIds.size());
        }
        if (new HashSet<>(mediaIds).size() != mediaIds.size()) {
            throw new AgentActionRefused("bad_media", "the same picture is attached twice");
        }
        List<MediaItem> items = new ArrayList<>();
        long total = 0;
        for (String id : mediaIds) {
            if (!MediaUploads.isMediaId(id)) {
                throw unknown(id);
            }
            String key = MediaUploads.key(id);
            // Another agent's upload reads as unknown: its id says nothing to anyone else.
            MediaStore.Stored stored = store.head(key).filter(s -> agent.equals(s.uploader()))
                    .orElseThrow(() -> unknown(id));
            total += stored.size();
            if (total > config.maxTotalBytes()) {
                throw new AgentActionRefused("bad_media", "the pictures are over " + config.maxTotalBytes()
                        + " bytes together (switchboard.media.max-total-bytes; Twilio's limit is 5 MB per message)");
            }
            items.add(MediaItem.uploaded(items.size(), key, stored.contentType(), stored.size()));
        }
        return List.copyOf(items);
    }

    /** The URLs Twilio fetches the reply's pictures from, valid for {@code switchboard.media.twilio-url-ttl}. */
    public List<URI> twilioUrls(Message reply) {
        List<URI> urls = new ArrayList<>();
        for (MediaItem media : reply.media()) {
            if (media.state() == MediaItem.State.STORED && media.key() != null) {
                try {
                    urls.add(store.presignedGet(media.key(), config.twilioUrlTtl()).toURI());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("S3 presigned an unusable URL", e);
                }
            }
        }
        return urls;
    }

    private static AgentActionRefused unknown(String id) {
        return new AgentActionRefused("bad_media",
                "no picture " + id + " of yours: upload it first (POST /media) and send the mediaId it answers");
    }
}
