package dev.switchboard.routing;

import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An agent's presence as kept on their item in the agents table: the source of truth for every instance.
 *
 * @param agent
 *            login name
 * @param status
 *            available, away or offline
 * @param capacity
 *            conversations they take at once
 * @param load
 *            conversations assigned to them now
 * @param heartbeatAt
 *            when the instance holding their connection last vouched for it
 * @param lastAssignedAt
 *            when they last got a conversation (the longest idle agent wins ties)
 * @param disconnectedAt
 *            when their last connection closed, while they are within the grace period
 * @param instance
 *            the instance holding their connection
 */
public record Presence(String agent, Status status, int capacity, int load, Instant heartbeatAt, Instant lastAssignedAt,
        Instant disconnectedAt, String instance) {

    public enum Status {
        AVAILABLE, AWAY, OFFLINE;

        public String wire() {
            return name().toLowerCase();
        }
    }

    static final String AGENT = "agent";
    static final String STATUS = "presence";
    static final String CAPACITY = "capacity";
    static final String LOAD = "load";
    static final String HEARTBEAT_AT = "heartbeatAt";
    static final String LAST_ASSIGNED_AT = "lastAssignedAt";
    static final String DISCONNECTED_AT = "disconnectedAt";
    static final String INSTANCE = "instance";

    public int free() {
        return Math.max(0, capacity - load);
    }

    static Presence from(Map<String, AttributeValue> item) {
        return new Presence(item.get(AGENT).s(), status(item), number(item, CAPACITY), number(item, LOAD),
                instant(item, HEARTBEAT_AT), instant(item, LAST_ASSIGNED_AT), instant(item, DISCONNECTED_AT),
                item.containsKey(INSTANCE) ? item.get(INSTANCE).s() : null);
    }

    /** An absent or unknown value is offline: one odd item must never stop routing for everyone. */
    private static Status status(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(STATUS);
        if (value == null || value.s() == null) {
            return Status.OFFLINE;
        }
        for (Status status : Status.values()) {
            if (status.wire().equals(value.s())) {
                return status;
            }
        }
        return Status.OFFLINE;
    }

    private static int number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Integer.parseInt(value.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }
}
