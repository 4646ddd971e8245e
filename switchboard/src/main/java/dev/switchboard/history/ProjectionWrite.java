package dev.switchboard.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import dev.switchboard.history.Conversation.State;

/**
 * One conditional write of a conversation summary that applies several messages of it at once, in stream order: the
 * messages are folded one after the other onto what the summary said when it was read, exactly as writing them one by
 * one would, and only the outcome is written. The condition is what the fold relied on: the summary's version and state
 * and, when a message changes consent, the time consent last changed (an agent's send can record an opt-out without
 * touching the version). A reopen goes with its history marker ({@link ConversationEvents}) in one transaction.
 */
final class ProjectionWrite {

    private final HistoryConfig config;
    private final String conversation;
    /** The summary as read (or as this instance last wrote it); null when there is none yet. */
    private final Map<String, AttributeValue> item;

    private final List<String> ids = new ArrayList<>();
    private final Set<String> events = new LinkedHashSet<>();
    private int applied;
    private String lastSeq;
    private State state;
    private Long consentChangedAt;
    private Message created;
    private Message last;
    private Message lastInbound;
    private Message reopenedBy;
    private Message consentBy;
    private Message helpBy;
    private String lastEvent;
    private int count;
    private int unread;

    ProjectionWrite(HistoryConfig config, String conversation, Map<String, AttributeValue> item) {
        this.config = config;
        this.conversation = conversation;
        this.item = item;
        if (item != null) {
            lastSeq = Attributes.string(item, ConversationProjectionStore.LAST_MESSAGE_SEQ);
            state = State.fromWire(Attributes.string(item, Conversation.STATE));
            consentChangedAt = Attributes.longOrNull(item, Conversation.CONSENT_CHANGED_AT);
            AttributeValue remembered = item.get(ConversationProjectionStore.PROJECTED_IDS);
            if (remembered != null && remembered.hasL()) {
                remembered.l().forEach(id -> ids.add(id.s()));
            }
        }
    }

    /**
     * Takes these messages as applied before although the summary no longer remembers them (a reopen whose marker
     * exists): they are skipped, and remembered again.
     */
    void assumeApplied(Set<String> messageIds) {
        messageIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    }

    /** Whether the summary (as read, plus the messages added before) already reflects this one. */
    boolean reflects(Message message, String eventId) {
        if (ids.contains(message.id())) {
            return true;
        }
        // Only the very same record is recognised by its position: sequence numbers are not promised to grow across
        // the shards a stream rolls over to, and wrongly skipping a new message would lose it from the summary.
        return eventId != null && item != null
                && eventId.equals(Attributes.string(item, ConversationProjectionStore.PROJECTED_EVENT));
    }

    /** Folds the message in, unless the summary reflects it already; says whether it did. */
    boolean add(Message message, String eventId) {
        if (reflects(message, eventId)) {
            return false;
        }
        if (item == null && created == null) {
            created = message;
            state = State.WAITING;
            setLast(message);
            consent(message, null);
        } else {
            boolean newer = lastSeq == null || message.seq() == null || message.seq().compareTo(lastSeq) > 0;
            // A private note is history for agents, not the conversation's last word: preview and counts stay.
            if (newer && message.direction() != Message.Direction.NOTE) {
                setLast(message);
            }
            if (state == State.CLOSED && message.direction() == Message.Direction.INBOUND) {
                // A customer writing again reopens the conversation and puts it back in the queue.
                state = State.WAITING;
                reopenedBy = message;
            }
            consent(message, consentChangedAt);
        }
        if (message.direction() != Message.Direction.NOTE) {
            count++;
            if (message.direction() == Message.Direction.INBOUND) {
                unread++;
            }
        }
        ids.add(message.id());
        if (eventId != null) {
            lastEvent = eventId;
            events.add(eventId);
        }
        applied++;
        return true;
    }

    /** How many messages this write applies. */
    int applied() {
        return applied;
    }

    /** The customer's message that reopens the closed conversation with this write, or null. */
    Message reopenedBy() {
        return reopenedBy;
    }

    /** The stream records this write applies. */
    Set<String> events() {
        return events;
    }

    private void setLast(Message message) {
        last = message;
        if (message.seq() != null) {
            lastSeq = message.seq();
        }
        if (message.direction() == Message.Direction.INBOUND) {
            lastInbound = message;
        }
    }

    /** What an inbound message says about consent, unless a later message already changed it. */
    private void consent(Message message, Long changedAt) {
        if (message.direction() != Message.Direction.INBOUND
                || (changedAt != null && changedAt > message.createdAt().toEpochMilli())) {
            return;
        }
        switch (Consent.of(message.body())) {
        case OPT_OUT, OPT_IN -> {
            consentBy = message;
            consentChangedAt = message.createdAt().toEpochMilli();
        }
        case HELP -> helpBy = message;
        default -> {
            // nothing to record
        }
        }
    }

    /** The write, returning the summary as it leaves it. */
    UpdateItemRequest request() {
        Expression e = new Expression();
        ConversationKey key = ConversationKey.parse(conversation);
        e.set(Conversation.BUSINESS, Attributes.s(key.business()));
        e.set(Conversation.CUSTOMER, Attributes.s(key.customer()));
        if (last != null) {
            e.set(Conversation.LAST_MESSAGE_ID, Attributes.s(last.id()));
            e.set(Conversation.LAST_MESSAGE_AT, at(last));
            e.set(Conversation.LAST_MESSAGE_PREVIEW, Attributes.s(preview(last)));
            e.set(Conversation.LAST_DIRECTION, Attributes.s(last.direction().wire()));
            e.set(Conversation.UPDATED_AT, at(last));
        }
        String seenSeq = item == null ? null : Attributes.string(item, ConversationProjectionStore.LAST_MESSAGE_SEQ);
        if (lastSeq != null && !lastSeq.equals(seenSeq)) {
            e.set(ConversationProjectionStore.LAST_MESSAGE_SEQ, Attributes.s(lastSeq));
        }
        if (lastInbound != null) {
            e.set(Conversation.LAST_INBOUND_AT, at(lastInbound));
        }
        if (created != null) {
            e.set(Conversation.CREATED_AT, at(created));
            e.set(Conversation.STATE, Attributes.s(State.WAITING.wire()));
            e.set(Conversation.STATE_SINCE, at(created));
        } else if (reopenedBy != null) {
            e.set(Conversation.STATE, Attributes.s(State.WAITING.wire()));
            e.set(Conversation.STATE_SINCE, at(reopenedBy));
        }
        if (consentBy != null) {
            e.set(Conversation.OPTED_OUT, AttributeValue.fromBool(Consent.of(consentBy.body()) == Consent.OPT_OUT));
            e.set(Conversation.CONSENT_CHANGED_AT, at(consentBy));
        }
        if (helpBy != null) {
            e.set(Conversation.HELP_REQUESTED_AT, at(helpBy));
        }
        int memory = Math.max(1, config.projectionMemory());
        List<String> kept = ids.subList(Math.max(0, ids.size() - memory), ids.size());
        e.set(ConversationProjectionStore.PROJECTED_IDS,
                AttributeValue.fromL(kept.stream().map(Attributes::s).toList()));
        if (lastEvent != null) {
            e.set(ConversationProjectionStore.PROJECTED_EVENT, Attributes.s(lastEvent));
        }
        long version = item == null ? 0 : Attributes.longOf(item, ConversationProjectionStore.PROJECTION_VERSION);
        e.set(ConversationProjectionStore.PROJECTION_VERSION, Attributes.n(version + 1));
        e.add(Conversation.MESSAGE_COUNT, count);
        e.add(Conversation.UNREAD, unread);
        return e.build(condition(e));
    }

    private String condition(Expression e) {
        if (item == null) {
            return "attribute_not_exists(" + e.name(Conversation.ID) + ")";
        }
        List<String> parts = new ArrayList<>();
        String version = e.name(ConversationProjectionStore.PROJECTION_VERSION);
        if (item.containsKey(ConversationProjectionStore.PROJECTION_VERSION)) {
            parts.add(version + " = " + e.value(item.get(ConversationProjectionStore.PROJECTION_VERSION)));
        } else {
            // An item no message was projected into yet (a conversation an agent started) has no version.
            parts.add("attribute_not_exists(" + version + ")");
        }
        String seenState = Attributes.string(item, Conversation.STATE);
        parts.add(seenState == null ? "attribute_not_exists(" + e.name(Conversation.STATE) + ")"
                : e.name(Conversation.STATE) + " = " + e.value(Attributes.s(seenState)));
        // Which messages are newer than the last one depends on it.
        AttributeValue seenSeq = item.get(ConversationProjectionStore.LAST_MESSAGE_SEQ);
        String seq = e.name(ConversationProjectionStore.LAST_MESSAGE_SEQ);
        parts.add(seenSeq == null ? "attribute_not_exists(" + seq + ")" : seq + " = " + e.value(seenSeq));
        if (consentBy != null) {
            AttributeValue seenConsent = item.get(Conversation.CONSENT_CHANGED_AT);
            String consent = e.name(Conversation.CONSENT_CHANGED_AT);
            parts.add(seenConsent == null ? "attribute_not_exists(" + consent + ")"
                    : consent + " = " + e.value(seenConsent));
        }
        return String.join(" AND ", parts);
    }

    private static AttributeValue at(Message message) {
        return Attributes.n(message.createdAt().toEpochMilli());
    }

    private String preview(Message message) {
        String body = message.body();
        int limit = config.previewCharacters();
        if (body.codePointCount(0, body.length()) > limit) {
            return body.substring(0, body.offsetByCodePoints(0, limit)) + "…";
        }
        if (body.isEmpty() && !message.media().isEmpty()) {
            return message.media().size() == 1 ? "[1 attachment]" : "[" + message.media().size() + " attachments]";
        }
        return body;
    }

    /** An update expression under construction: one placeholder per attribute name and per value. */
    private final class Expression {
        private final List<String> sets = new ArrayList<>();
        private final List<String> adds = new ArrayList<>();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, String> placeholders = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();

        String name(String attribute) {
            return placeholders.computeIfAbsent(attribute, a -> {
                String placeholder = "#a" + names.size();
                names.put(placeholder, a);
                return placeholder;
            });
        }

        String value(AttributeValue value) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, value);
            return placeholder;
        }

        void set(String attribute, AttributeValue value) {
            sets.add(name(attribute) + " = " + value(value));
        }

        void add(String attribute, int amount) {
            if (amount > 0) {
                adds.add(name(attribute) + " " + value(Attributes.n(amount)));
            }
        }

        UpdateItemRequest build(String condition) {
            String expression = "SET " + String.join(", ", sets)
                    + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds));
            return UpdateItemRequest.builder().tableName(config.conversationsTable())
                    .key(Map.of(Conversation.ID, Attributes.s(conversation))).updateExpression(expression)
                    .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW).build();
        }
    }
}
