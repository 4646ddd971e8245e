package dev.switchboard.agents;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Someone who logs in to answer customers: the item of the agents table keyed by login name. Routing keeps the agent's
 * presence on the same item; those attributes are theirs and not modelled here. The password hash never leaves
 * {@link AgentStore}.
 *
 * @param agent
 *            login name (partition key)
 * @param displayName
 *            the name customers and colleagues see
 * @param roles
 *            {@link Roles}
 * @param disabled
 *            a disabled agent can neither log in nor use a token issued before
 * @param createdAt
 *            when the agent was created
 * @param updatedAt
 *            last change by this package
 */
public record Agent(String agent, String displayName, SortedSet<String> roles, boolean disabled, Instant createdAt,
        Instant updatedAt) {

    public static final String AGENT = "agent";
    static final String PASSWORD_HASH = "passwordHash";
    public static final String DISPLAY_NAME = "displayName";
    public static final String ROLES = "roles";
    public static final String DISABLED = "disabled";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";

    public Agent {
        roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
    }

    static Agent from(Map<String, AttributeValue> item) {
        AttributeValue roles = item.get(ROLES);
        AttributeValue disabled = item.get(DISABLED);
        return new Agent(string(item, AGENT), string(item, DISPLAY_NAME),
                new TreeSet<>(roles == null ? Set.of() : roles.ss()),
                disabled != null && Boolean.TRUE.equals(disabled.bool()), instant(item, CREATED_AT),
                instant(item, UPDATED_AT));
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }
}
