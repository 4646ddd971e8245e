package dev.switchboard.history;

import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One attachment of an MMS as stored on its message: where Twilio offered it, and what became of it.
 *
 * @param index
 *            position in the webhook ({@code MediaUrlN})
 * @param sourceUrl
 *            where Twilio offers the file; null for a picture an agent uploaded
 * @param contentType
 *            content type (Twilio's declared one until stored, then the one served)
 * @param state
 *            {@link State}
 * @param key
 *            S3 object key once stored
 * @param size
 *            bytes stored
 * @param reason
 *            why it was rejected or failed
 */
public record MediaItem(int index, String sourceUrl, String contentType, State state, String key, Long size,
        String reason) {

    public enum State {
        /** Not fetched yet. */
        PENDING,
        /** In S3 under {@link MediaItem#key()}. */
        STORED,
        /** Refused by a limit; {@link MediaItem#reason()} says which. */
        REJECTED,
        /** Could not be fetched after retries; {@link MediaItem#reason()} says why. */
        FAILED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    static final String INDEX = "index";
    static final String SOURCE_URL = "sourceUrl";
    static final String CONTENT_TYPE = "contentType";
    static final String STATE = "state";
    static final String KEY = "key";
    static final String SIZE = "size";
    static final String REASON = "reason";

    /**
     * A picture an agent uploaded ({@code POST /media}) and attached to a reply: in S3 from the start, so stored, with
     * no Twilio URL to fetch it from ({@code sourceUrl} is null).
     */
    public static MediaItem uploaded(int index, String key, String contentType, long size) {
        return new MediaItem(index, null, contentType, State.STORED, key, size, null);
    }

    public static MediaItem pending(int index, String sourceUrl, String declaredType) {
        return new MediaItem(index, sourceUrl, declaredType, State.PENDING, null, null, null);
    }

    public MediaItem stored(String key, String contentType, long size) {
        return new MediaItem(index, sourceUrl, contentType, State.STORED, key, size, null);
    }

    public MediaItem rejected(String reason) {
        return new MediaItem(index, sourceUrl, contentType, State.REJECTED, null, null, reason);
    }

    public MediaItem failed(String reason) {
        return new MediaItem(index, sourceUrl, contentType, State.FAILED, null, null, reason);
    }

    AttributeValue toAttribute() {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put(INDEX, Attributes.n(index));
        if (sourceUrl != null) {
            map.put(SOURCE_URL, Attributes.s(sourceUrl));
        }
        if (contentType != null) {
            map.put(CONTENT_TYPE, Attributes.s(contentType));
        }
        map.put(STATE, Attributes.s(state.wire()));
        if (key != null) {
            map.put(KEY, Attributes.s(key));
        }
        if (size != null) {
            map.put(SIZE, Attributes.n(size));
        }
        if (reason != null) {
            map.put(REASON, Attributes.s(reason));
        }
        return AttributeValue.fromM(map);
    }

    static MediaItem from(AttributeValue value) {
        Map<String, AttributeValue> map = value.m();
        return new MediaItem(Attributes.intOf(map, INDEX), Attributes.string(map, SOURCE_URL),
                Attributes.string(map, CONTENT_TYPE), State.valueOf(Attributes.string(map, STATE).toUpperCase()),
                Attributes.string(map, KEY), Attributes.longOrNull(map, SIZE), Attributes.string(map, REASON));
    }
}
