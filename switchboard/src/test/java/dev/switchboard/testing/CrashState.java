package dev.switchboard.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes message items exactly as an instance killed with SIGKILL leaves them: the message stored, its work claimed by
 * an instance that no longer exists, the claim running out a little later. The attribute names are those
 * {@code dev.switchboard.history.Message} writes.
 */
public final class CrashState {

    /** The instance that died. */
    public static final String DEAD_INSTANCE = "instance-killed-with-sigkill";

    private CrashState() {
    }

    /**
     * An agent's reply, claimed by the dead instance until {@code claimUntil}; with {@code sendingAt} set the dead
     * instance had gone on to call Twilio, without it it died between claim and call.
     */
    public static void reply(DynamoDbClient dynamo, String table, String customer, String agent, String id, String seq,
            String body, long claimUntil, Long sendingAt) {
        long now = System.currentTimeMillis();
        Map<String, AttributeValue> item = base(customer, id, seq, now);
        item.put("direction", s("outbound"));
        item.put("from", s(Webhooks.BUSINESS));
        item.put("to", s(customer));
        item.put("body", s(body));
        item.put("status", s("queued"));
        item.put("agent", s(agent));
        item.put("media", AttributeValue.fromL(List.of()));
        item.put("statusTimes", AttributeValue.fromM(Map.of("queued", n(now))));
        claim(item, "reply", claimUntil);
        if (sendingAt != null) {
            item.put("sendingAt", n(sendingAt));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /**
     * An inbound MMS stored at {@code createdAt}, its media fetch claimed by the dead instance until
     * {@code claimUntil}.
     */
    public static void mms(DynamoDbClient dynamo, String table, String customer, String sid, String seq, long createdAt,
            List<String> mediaUrls, long claimUntil) {
        Map<String, AttributeValue> item = base(customer, sid, seq, createdAt);
        item.put("direction", s("inbound"));
        item.put("from", s(customer));
        item.put("to", s(Webhooks.BUSINESS));
        item.put("body", s("picture"));
        item.put("twilioSid", s(sid));
        item.put("status", s("received"));
        List<AttributeValue> media = new java.util.ArrayList<>();
        for (int i = 0; i < mediaUrls.size(); i++) {
            media.add(AttributeValue.fromM(Map.of("index", n(i), "sourceUrl", s(mediaUrls.get(i)), "contentType",
                    s("image/png"), "state", s("pending"))));
        }
        item.put("media", AttributeValue.fromL(media));
        item.put("statusTimes", AttributeValue.fromM(Map.of("received", n(createdAt))));
        claim(item, "media", claimUntil);
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> base(String customer, String id, String seq, long at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("conversation", s(Webhooks.BUSINESS + "#" + customer));
        item.put("id", s(id));
        item.put("seq", s(seq));
        item.put("createdAt", n(at));
        item.put("updatedAt", n(at));
        item.put("details", AttributeValue.fromM(Map.of()));
        return item;
    }

    private static void claim(Map<String, AttributeValue> item, String kind, long claimUntil) {
        item.put("work", s(kind));
        item.put("workDue", n(claimUntil));
        item.put("claimOwner", s(DEAD_INSTANCE));
        item.put("claimUntil", n(claimUntil));
        item.put("attempts", n(1));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
