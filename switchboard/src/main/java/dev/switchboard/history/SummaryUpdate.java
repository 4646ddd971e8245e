package dev.switchboard.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** An update expression of a conversation's summary under construction, with its names and values. */
final class SummaryUpdate {
    private final HistoryConfig config;
    private final Message message;
    private final List<String> sets = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    SummaryUpdate(HistoryConfig config, Message message) {
        this.config = config;
        this.message = message;
        ConversationKey key = ConversationKey.parse(message.conversation());
        set(Conversation.BUSINESS, ":business", Attributes.s(key.business()));
        set(Conversation.CUSTOMER, ":customer", Attributes.s(key.customer()));
    }

    void set(String attribute, String value) {
        if (":at".equals(value)) {
            // DynamoDB refuses values the expression does not use, so this one goes in only when it is.
            values.put(":at", Attributes.n(message.createdAt().toEpochMilli()));
        }
        String name = "#a" + names.size();
        names.put(name, attribute);
        sets.add(name + " = " + value);
    }

    void set(String attribute, String placeholder, AttributeValue value) {
        values.put(placeholder, value);
        set(attribute, placeholder);
    }

    void setLast() {
        set(Conversation.LAST_MESSAGE_ID, ":id", Attributes.s(message.id()));
        if (message.seq() != null) {
            set(ConversationProjectionStore.LAST_MESSAGE_SEQ, ":seq", Attributes.s(message.seq()));
        }
        set(Conversation.LAST_MESSAGE_AT, ":at");
        set(Conversation.LAST_MESSAGE_PREVIEW, ":preview", Attributes.s(preview()));
        set(Conversation.LAST_DIRECTION, ":dir", Attributes.s(message.direction().wire()));
        set(Conversation.UPDATED_AT, ":at");
        if (message.direction() == Message.Direction.INBOUND) {
            set(Conversation.LAST_INBOUND_AT, ":at");
        }
    }

    /** What an inbound message says about consent, unless a later message already changed it. */
    void consent(Long changedAt) {
        if (message.direction() != Message.Direction.INBOUND
                || (changedAt != null && changedAt > message.createdAt().toEpochMilli())) {
            return;
        }
        switch (Consent.of(message.body())) {
        case OPT_OUT, OPT_IN -> {
            set(Conversation.OPTED_OUT, ":optedOut",
                    AttributeValue.fromBool(Consent.of(message.body()) == Consent.OPT_OUT));
            set(Conversation.CONSENT_CHANGED_AT, ":at");
        }
        case HELP -> set(Conversation.HELP_REQUESTED_AT, ":at");
        default -> {
            // nothing to record
        }
        }
    }

    void remember(List<String> remembered, String eventId, long version) {
        List<String> ids = new ArrayList<>(remembered);
        ids.add(message.id());
        int memory = Math.max(1, config.projectionMemory());
        List<String> kept = ids.subList(Math.max(0, ids.size() - memory), ids.size());
        set(ConversationProjectionStore.PROJECTED_IDS, ":ids",
                AttributeValue.fromL(kept.stream().map(Attributes::s).toList()));
        if (eventId != null) {
            set(ConversationProjectionStore.PROJECTED_EVENT, ":event", Attributes.s(eventId));
        }
        set(ConversationProjectionStore.PROJECTION_VERSION, ":version", Attributes.n(version + 1));
    }

    void counts() {
        if (message.direction() == Message.Direction.NOTE) {
            return;
        }
        values.put(":one", Attributes.n(1));
        names.put("#count", Conversation.MESSAGE_COUNT);
        adds.add("#count :one");
        if (message.direction() == Message.Direction.INBOUND) {
            names.put("#unread", Conversation.UNREAD);
            adds.add("#unread :one");
        }
    }

    UpdateItemRequest build(String condition, Map<String, String> conditionNames) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.putAll(conditionNames);
        String expression = "SET " + String.join(", ", sets)
                + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds));
        return UpdateItemRequest.builder().tableName(config.conversationsTable())
                .key(Map.of(Conversation.ID, Attributes.s(message.conversation()))).updateExpression(expression)
                .conditionExpression(condition).expressionAttributeNames(allNames).expressionAttributeValues(values)
                .build();
    }

    /** A value the condition uses. */
    void value(String placeholder, AttributeValue value) {
        values.put(placeholder, value);
    }

    private String preview() {
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
}
