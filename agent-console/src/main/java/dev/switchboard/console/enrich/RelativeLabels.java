package dev.switchboard.console.enrich;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The labels one agent's browser shows, so that a tick can send those that changed. One per subscriber of the stream;
 * frames and ticks come on different threads, hence the lock.
 */
final class RelativeLabels {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The type of the frame a tick sends. */
    static final String FRAME = "relative";

    /** One shown message: what its labels are computed from, and what was sent last. */
    private static final class Shown {
        final String conversation;
        final String messageId;
        ObjectNode message;
        String relative;
        String statusRelative;

        Shown(String conversation, String messageId) {
            this.conversation = conversation;
            this.messageId = messageId;
        }
    }

    /** The labels of one message, computed now. */
    record Labels(String relative, String statusRelative) {
    }

    /** Computes a message's labels from its instants (the stream's own rules). */
    interface Labeller {
        Labels labels(ObjectNode message, Instant now);
    }

    private final int maxTracked;
    private final Labeller labeller;
    private final Supplier<Instant> now;
    // Insertion order = first seen: the oldest drop out first once the bound is reached.
    private final LinkedHashMap<String, Shown> shown = new LinkedHashMap<>();

    RelativeLabels(int maxTracked, Labeller labeller, Supplier<Instant> now) {
        this.maxTracked = Math.max(0, maxTracked);
        this.labeller = labeller;
        this.now = now;
    }

    /** A message as it went out, with the labels it carried. */
    synchronized void sent(String conversation, ObjectNode message, Labels labels) {
        String id = message.path("id").asText(null);
        if (conversation == null || id == null || maxTracked == 0) {
            return;
        }
        Shown entry = shown.computeIfAbsent(key(conversation, id), k -> new Shown(conversation, id));
        entry.message = trimmed(message);
        entry.relative = labels.relative();
        entry.statusRelative = labels.statusRelative();
        while (shown.size() > maxTracked) {
            Iterator<String> eldest = shown.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /**
     * A status change of a shown message: its status and the instant join what its status label is computed from.
     *
     * @return the message's new labels; null for a message not shown (or no longer tracked)
     */
    synchronized Labels status(String conversation, ObjectNode frame) {
        String messageId = frame.path("messageId").asText(null);
        String status = frame.path("status").asText(null);
        Shown entry = conversation == null || messageId == null ? null : shown.get(key(conversation, messageId));
        if (entry == null || status == null) {
            return null;
        }
        String at = frame.path("at").asText(null);
        ObjectNode message = entry.message;
        message.put("status", status);
        ObjectNode times = message.get("statusTimes") instanceof ObjectNode t ? t : message.putObject("statusTimes");
        if (!times.hasNonNull(status) && at != null) {
            times.put(status, at);
        }
        if (frame.hasNonNull("errorCode")) {
            message.set("errorCode", frame.get("errorCode"));
        }
        Labels labels = labeller.labels(message, now.get());
        entry.relative = labels.relative();
        entry.statusRelative = labels.statusRelative();
        return labels;
    }

    /** The conversation left this agent: its labels no longer tick. */
    synchronized void forget(String conversation) {
        shown.values().removeIf(entry -> entry.conversation.equals(conversation));
    }

    /** A conversation's whole history came again: what it no longer holds stops ticking. */
    synchronized void replace(String conversation, List<String> keep) {
        shown.values().removeIf(entry -> entry.conversation.equals(conversation) && !keep.contains(entry.messageId));
    }

    synchronized int size() {
        return shown.size();
    }

    /**
     * Recomputes every label.
     *
     * @return a {@code relative} frame listing the messages whose labels changed since they were last sent; null when
     *         none did
     */
    synchronized ObjectNode tick() {
        List<ObjectNode> changed = new ArrayList<>();
        // One instant for the whole tick: labels read together never straddle a minute.
        Instant at = this.now.get();
        for (Shown entry : shown.values()) {
            Labels now = labeller.labels(entry.message, at);
            if (Objects.equals(now.relative(), entry.relative)
                    && Objects.equals(now.statusRelative(), entry.statusRelative)) {
                continue;
            }
            entry.relative = now.relative();
            entry.statusRelative = now.statusRelative();
            ObjectNode label = JSON.createObjectNode().put("conversation", entry.conversation)
                    .put("messageId", entry.messageId).put("relative", now.relative());
            if (now.statusRelative() != null) {
                label.put("statusRelative", now.statusRelative());
            }
            changed.add(label);
        }
        if (changed.isEmpty()) {
            return null;
        }
        ObjectNode frame = JSON.createObjectNode().put("type", FRAME);
        ArrayNode messages = frame.putArray("messages");
        changed.forEach(messages::add);
        return frame;
    }

    private static String key(String conversation, String messageId) {
        return conversation + '\n' + messageId;
    }

    // Only what labels are computed from: bodies and media stay out of the per-agent memory.
    private static ObjectNode trimmed(ObjectNode message) {
        ObjectNode copy = JSON.createObjectNode();
        for (String field : List.of("id", "direction", "createdAt", "updatedAt", "status", "statusTimes",
                "errorCode")) {
            if (message.has(field)) {
                copy.set(field, message.get(field).deepCopy());
            }
        }
        return copy;
    }

}
