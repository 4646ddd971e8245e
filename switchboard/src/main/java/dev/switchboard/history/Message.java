package dev.switchboard.history;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 *            inbound from the customer, or outbound from an agent
 * @param from
 *            sender number
 * @param to
 *            recipient number
 * @param body
 *            text exactly as received (may be empty for media-only MMS)
 * @param twilioSid
 *            Twilio's MessageSid
 * @param status
 *            Twilio status ({@code received} for inbound)
 * @param createdAt
 *            when the switchboard stored it
 * @param updatedAt
 *            last change (status, media)
 * @param media
 *            attachments, in webhook order
 * @param details
 *            further Twilio parameters worth keeping (FromCity, NumSegments…)
 */
public record Message(String conversation, String id, Direction direction, String from, String to, String body,
        String twilioSid, String status, Instant createdAt, Instant updatedAt, List<MediaItem> media,
        Map<String, String> details) {

    public enum Direction {
        INBOUND, OUTBOUND;

        public String wire() {
            return name().toLowerCase();
        }
    }

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

    Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONVERSATION, Attributes.s(conversation));
        item.put(ID, Attributes.s(id));
        item.put(DIRECTION, Attributes.s(direction.wire()));
        item.put(FROM, Attributes.s(from));
        item.put(TO, Attributes.s(to));
        item.put(BODY, Attributes.s(body));
        item.put(TWILIO_SID, Attributes.s(twilioSid));
        item.put(STATUS, Attributes.s(status));
        item.put(CREATED_AT, Attributes.n(createdAt.toEpochMilli()));
        item.put(UPDATED_AT, Attributes.n(updatedAt.toEpochMilli()));
        item.put(MEDIA, AttributeValue.fromL(media.stream().map(MediaItem::toAttribute).toList()));
        Map<String, AttributeValue> detailMap = new HashMap<>();
        details.forEach((name, value) -> detailMap.put(name, Attributes.s(value)));
        item.put(DETAILS, AttributeValue.fromM(detailMap));
        return item;
    }

    static Message from(Map<String, AttributeValue> item) {
        List<MediaItem> media = item.containsKey(MEDIA) ? item.get(MEDIA).l().stream().map(MediaItem::from).toList()
                : List.of();
        Map<String, String> details = new HashMap<>();
        if (item.containsKey(DETAILS)) {
            item.get(DETAILS).m().forEach((name, value) -> details.put(name, value.s()));
        }
        return new Message(Attributes.string(item, CONVERSATION), Attributes.string(item, ID),
                Direction.valueOf(Attributes.string(item, DIRECTION).toUpperCase()), Attributes.string(item, FROM),
                Attributes.string(item, TO), Attributes.string(item, BODY), Attributes.string(item, TWILIO_SID),
                Attributes.string(item, STATUS), Instant.ofEpochMilli(Attributes.longOf(item, CREATED_AT)),
                Instant.ofEpochMilli(Attributes.longOf(item, UPDATED_AT)), media, Map.copyOf(details));
    }
}
