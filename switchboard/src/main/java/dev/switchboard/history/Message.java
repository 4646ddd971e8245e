package dev.switchboard.history;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One message of a conversation, as one DynamoDB item. A conversation's history is the items sharing its partition,
 * never one growing item (items stop at 400 KB).
 *
 * @param conversation
 *            conversation id (partition key)
 * @param id
 *            time-ordered message id (sort key)
 * @param direction
 *            inbound from the customer, outbound from an agent, an agent's private note (never sent), or a marker of
 *            the conversation's resolve or reopen ({@link ConversationEvents})
 * @param from
 *            sender number
 * @param to
 *            recipient number
 * @param body
 *            text exactly as received or written (may be empty for media-only MMS)
 * @param twilioSid
 *            Twilio's MessageSid ({@code null} for an outbound message not yet accepted by Twilio)
 * @param status
 *            Twilio status: {@code received} for inbound; {@code queued}, {@code sending}, {@code sent},
 *            {@code delivered}, {@code undelivered} or {@code failed} for outbound
 * @param createdAt
 *            when the switchboard stored it
 * @param updatedAt
 *            last change (status, media)
 * @param media
 *            attachments, in webhook order
 * @param details
 *            further Twilio parameters worth keeping (FromCity, NumSegments…)
 * @param agent
 *            the agent who wrote an outbound message
 * @param errorCode
 *            Twilio's error code when sending failed
 * @param errorMessage
 *            what went wrong when sending failed
 * @param statusTimes
 *            when each status was reached
 * @param seq
 *            time-ordered id (ULID) taken when the message was first written: the order of a conversation's history
 *            (index {@link #BY_SEQ_INDEX}); the key {@code id} is derived from what makes the message unique
 * @param reason
 *            machine-readable reason a reply failed where Twilio gave none, e.g. {@code unknown_outcome}
 * @param sentiment
 *            the console's stored score of an inbound message; null until scored (never written with the message)
 */
public record Message(String conversation, String id, Direction direction, String from, String to, String body,
        String twilioSid, String status, Instant createdAt, Instant updatedAt, List<MediaItem> media,
        Map<String, String> details, String agent, Integer errorCode, String errorMessage,
        Map<String, Instant> statusTimes, String seq, String reason, StoredSentiment sentiment) {

    public enum Direction {
        INBOUND, OUTBOUND,
        /** An agent's private note: part of the history agents read, never sent, never the preview or unread. */
        NOTE,
        /**
         * A marker of what happened to the conversation ({@link ConversationEvents}: resolved, reopened): history, not
         * a message; it changes neither the summary nor the routing.
         */
        EVENT;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** The status a note is stored with: it has no delivery. */
    public static final String NOTE_STATUS = "note";

    public static final String CONVERSATION = "conversation";
    public static final String ID = "id";
    static final String DIRECTION = "direction";
    static final String FROM = "from";
    static final String TO = "to";
    static final String BODY = "body";
    static final String TWILIO_SID = "twilioSid";
    static final String STATUS = "status";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String MEDIA = "media";
    static final String DETAILS = "details";
    static final String AGENT = "agent";
    static final String ERROR_CODE = "errorCode";
    static final String ERROR_MESSAGE = "errorMessage";
    static final String STATUS_TIMES = "statusTimes";
    public static final String SEQ = "seq";
    static final String REASON = "reason";
    /** Local index of a conversation's messages in time order. */
    public static final String BY_SEQ_INDEX = "by-seq";

    // Work still owed on a message (a reply to send, media to fetch). Sparse: removed once the work is done, so the
    // index below only ever holds unfinished work.
    /** {@code reply} or {@code media} while work is owed. */
    static final String WORK = "work";
    /** When the work is due for a sweeper: a claim's expiry, or the time the stream path had to claim it first. */
    static final String WORK_DUE = "workDue";
    /** The instance holding the claim. */
    static final String CLAIM_OWNER = "claimOwner";
    /** Until when the claim holds (epoch ms). */
    static final String CLAIM_UNTIL = "claimUntil";
    /** Claims taken so far. */
    static final String ATTEMPTS = "attempts";
    /** Set just before Twilio is called: from here on a crash leaves the outcome unknown, and nothing resends. */
    static final String SENDING_AT = "sendingAt";
    /** Sparse index of owed work by kind and due time, read by the sweepers. */
    public static final String BY_WORK_INDEX = "by-work";

    Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONVERSATION, Attributes.s(conversation));
        item.put(ID, Attributes.s(id));
        item.put(DIRECTION, Attributes.s(direction.wire()));
        item.put(FROM, Attributes.s(from));
        item.put(TO, Attributes.s(to));
        item.put(BODY, Attributes.s(body));
        if (twilioSid != null) {
            item.put(TWILIO_SID, Attributes.s(twilioSid));
        }
        item.put(STATUS, Attributes.s(status));
        item.put(CREATED_AT, Attributes.n(createdAt.toEpochMilli()));
        item.put(UPDATED_AT, Attributes.n(updatedAt.toEpochMilli()));
        item.put(MEDIA, AttributeValue.fromL(media.stream().map(MediaItem::toAttribute).toList()));
        Map<String, AttributeValue> detailMap = new HashMap<>();
        details.forEach((name, value) -> detailMap.put(name, Attributes.s(value)));
        item.put(DETAILS, AttributeValue.fromM(detailMap));
        if (agent != null) {
            item.put(AGENT, Attributes.s(agent));
        }
        if (errorCode != null) {
            item.put(ERROR_CODE, Attributes.n(errorCode));
        }
        if (errorMessage != null) {
            item.put(ERROR_MESSAGE, Attributes.s(errorMessage));
        }
        Map<String, AttributeValue> times = new HashMap<>();
        statusTimes.forEach((name, at) -> times.put(name, Attributes.n(at.toEpochMilli())));
        item.put(STATUS_TIMES, AttributeValue.fromM(times));
        item.put(SEQ, Attributes.s(seq));
        if (reason != null) {
            item.put(REASON, Attributes.s(reason));
        }
        return item;
    }

    /** Reads a stored item, such as a change event's new image. */
    public static Message from(Map<String, AttributeValue> item) {
        List<MediaItem> media = item.containsKey(MEDIA) ? item.get(MEDIA).l().stream().map(MediaItem::from).toList()
                : List.of();
        Map<String, String> details = new HashMap<>();
        if (item.containsKey(DETAILS)) {
            item.get(DETAILS).m().forEach((name, value) -> details.put(name, value.s()));
        }
        Map<String, Instant> times = new TreeMap<>();
        if (item.containsKey(STATUS_TIMES)) {
            item.get(STATUS_TIMES).m()
                    .forEach((name, value) -> times.put(name, Instant.ofEpochMilli(Long.parseLong(value.n()))));
        }
        Long errorCode = Attributes.longOrNull(item, ERROR_CODE);
        return new Message(Attributes.string(item, CONVERSATION), Attributes.string(item, ID),
                Direction.valueOf(Attributes.string(item, DIRECTION).toUpperCase()), Attributes.string(item, FROM),
                Attributes.string(item, TO), Attributes.string(item, BODY), Attributes.string(item, TWILIO_SID),
                Attributes.string(item, STATUS), Instant.ofEpochMilli(Attributes.longOf(item, CREATED_AT)),
                Instant.ofEpochMilli(Attributes.longOf(item, UPDATED_AT)), media, Map.copyOf(details),
                Attributes.string(item, AGENT), errorCode == null ? null : errorCode.intValue(),
                Attributes.string(item, ERROR_MESSAGE), times, Attributes.string(item, SEQ),
                Attributes.string(item, REASON), StoredSentiment.from(item));
    }

    /** The kind of work still owed on a stored item ({@code reply}, {@code media}), if any. */
    public static String owedWork(Map<String, AttributeValue> item) {
        return Attributes.string(item, WORK);
    }

    /** The item with work of this kind owed, due at {@code due}: what a new reply or MMS is written with. */
    Map<String, AttributeValue> toItemOwing(String kind, long due) {
        Map<String, AttributeValue> item = toItem();
        item.put(WORK, Attributes.s(kind));
        item.put(WORK_DUE, Attributes.n(due));
        return item;
    }
}
