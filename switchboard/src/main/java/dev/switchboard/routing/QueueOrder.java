package dev.switchboard.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.switchboard.history.Conversation;

/**
 * The order in which waiting conversations are offered to agents: priority = waiting time plus a bounded boost for the
 * customer's negativity ({@link RoutingConfig#negativeBoost()} × negativity). A conversation waiting longer than
 * {@link RoutingConfig#maxPriorityWait()} goes before any boosted one, so a neutral customer is never starved.
 */
final class QueueOrder {

    private QueueOrder() {
    }

    /** The conversations (as read longest waiting first), in the order they are to be offered. */
    static List<Conversation> order(List<Conversation> waiting, Duration boost, Duration limit, Instant now) {
        List<Conversation> ordered = new ArrayList<>(waiting);
        ordered.sort(Comparator.comparing((Conversation c) -> !overdue(c, limit, now))
                .thenComparingLong(c -> overdue(c, limit, now) ? since(c) : priorityAt(c, boost)));
        return ordered;
    }

    /** When the conversation counts as having started to wait: its state change, moved earlier by its boost. */
    static long priorityAt(Conversation conversation, Duration boost) {
        return since(conversation) - boost.toMillis() * Math.min(100, Math.max(0, conversation.negativity())) / 100;
    }

    private static boolean overdue(Conversation conversation, Duration limit, Instant now) {
        return now.toEpochMilli() - since(conversation) > limit.toMillis();
    }

    private static long since(Conversation conversation) {
        return conversation.stateSince() == null ? 0 : conversation.stateSince().toEpochMilli();
    }
}
