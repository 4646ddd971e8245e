package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.Frames;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.HistoryService;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.HistoryViews.ConversationView;

/**
 * Matches waiting conversations with available agents: highest priority first (waiting time plus a bounded boost for an
 * angry customer, see {@link QueueOrder}; among the {@value #PAGE} longest waiting), to its last agent when they have
 * room, else to the agent with the most free capacity (ties: longest idle). Safe to run on every instance at once: each
 * assignment is a conditional transaction.
 */
@ApplicationScoped
public class Router {

    private static final Logger LOG = Logger.getLogger(Router.class);
    private static final int PAGE = 25;
    private static final int CANDIDATES = 100;
    private static final Comparator<Presence> BEST_FIRST = Comparator.comparingInt(Presence::free).reversed()
            .thenComparing(p -> p.lastAssignedAt() == null ? 0L : p.lastAssignedAt().toEpochMilli());

    private final RoutingStore store;
    private final HistoryStore history;
    private final HistoryService views;
    private final Delivery delivery;
    private final RoutingConfig config;
    private final MeterRegistry metrics;
    private final RoutableIndex index;
    /** Drain calls since the running drain last looked; 0 when none runs. */
    private final AtomicInteger requests = new AtomicInteger();

    Router(RoutingStore store, HistoryStore history, HistoryService views, Delivery delivery, RoutingConfig config,
            MeterRegistry metrics, RoutableIndex index) {
        this.index = index;
        this.store = store;
        this.history = history;
        this.views = views;
        this.delivery = delivery;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Assigns waiting conversations while agents have room. Never blocks its caller on another drain: while one runs on
     * this instance, a further call only asks it to go round once more (it may have read the queue or the agents before
     * the caller's change). Drains on different instances, or one racing a transfer, are kept apart by the conditional
     * writes alone.
     */
    public void drain() {
        if (requests.getAndIncrement() > 0) {
            return;
        }
        int seen;
        do {
            seen = requests.get();
            try {
                drainOnce();
            } catch (RuntimeException e) {
                requests.set(0);
                throw e;
            }
        } while (!requests.compareAndSet(seen, 0));
    }

    private void drainOnce() {
        for (int round = 0; round < 20; round++) {
            List<Presence> agents = candidates();
            if (agents.isEmpty()) {
                return;
            }
            List<Conversation> waiting = QueueOrder.order(store.waiting(PAGE), config.negativeBoost(),
                    config.maxPriorityWait(), java.time.Instant.now());
            if (waiting.isEmpty()) {
                return;
            }
            boolean progress = false;
            for (Conversation conversation : waiting) {
                agents.removeIf(agent -> agent.free() == 0);
                if (agents.isEmpty()) {
                    return;
                }
                progress |= assign(conversation, agents);
            }
            if (!progress) {
                return;
            }
        }
    }

    private boolean assign(Conversation conversation, List<Presence> agents) {
        List<Presence> order = new ArrayList<>(agents);
        order.sort(BEST_FIRST);
        Optional<Presence> last = order.stream().filter(p -> p.agent().equals(conversation.lastAgent())).findFirst();
        last.ifPresent(p -> {
            order.remove(p);
            order.add(0, p);
        });
        for (Presence agent : order) {
            RoutingStore.Assignment result = store.assign(conversation.id(), agent.agent());
            if (result == RoutingStore.Assignment.ASSIGNED) {
                metrics.counter("switchboard.assignments").increment();
                agents.set(agents.indexOf(agent),
                        new Presence(agent.agent(), agent.status(), agent.capacity(), agent.load() + 1,
                                agent.heartbeatAt(), java.time.Instant.now(), agent.disconnectedAt(),
                                agent.instance()));
                sendAssigned(conversation.id(), agent.agent());
                return true;
            }
            if (result == RoutingStore.Assignment.CONVERSATION_TAKEN) {
                return false;
            }
            LOG.debugf("agent %s became unavailable while assigning %s", agent.agent(), conversation.id());
            agents.remove(agent);
        }
        return false;
    }

    /** Sends the agent a conversation with its history, as after an assignment or a reconnect. */
    public void sendAssigned(String conversation, String agent) {
        history.conversation(conversation).ifPresent(current -> sendAssigned(current, agent));
    }

    /** As {@link #sendAssigned(String, String)}, for a conversation just read. */
    public void sendAssigned(Conversation current, String agent) {
        delivery.toAgent(agent, new Frames.Assigned(ConversationView.of(current),
                views.recent(current.id(), config.historyOnAssign())));
    }

    /** A conversation as a socket's resync sends it: its summary and at most {@code history} recent messages. */
    public Frames.Assigned assignedFrame(Conversation current, int history) {
        return new Frames.Assigned(ConversationView.of(current), views.recent(current.id(), history));
    }

    /**
     * Available agents with room whose connection is vouched for: a page of the sparse routing index (best first),
     * never a scan of every agent. The page is larger than the queue's, so that a few agents whose instance died (still
     * indexed until the presence sweep marks them offline) cannot crowd out the rest.
     */
    List<Presence> candidates() {
        long freshAfter = System.currentTimeMillis() - config.heartbeatTimeout().toMillis();
        List<Presence> agents = new ArrayList<>(index.routable(CANDIDATES).stream()
                .filter(p -> p.status() == Presence.Status.AVAILABLE && p.disconnectedAt() == null && p.free() > 0
                        && p.heartbeatAt() != null && p.heartbeatAt().toEpochMilli() > freshAfter)
                .toList());
        agents.sort(BEST_FIRST);
        return agents;
    }
}
