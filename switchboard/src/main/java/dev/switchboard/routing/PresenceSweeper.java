package dev.switchboard.routing;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.switchboard.delivery.Delivery;
import dev.switchboard.delivery.Frames;
import dev.switchboard.delivery.LocalSockets;
import dev.switchboard.history.Conversation;

/**
 * Keeps presence honest on every instance: vouches for the agents connected here, and returns the conversations of
 * agents whose grace period ran out (or whose instance died) to the queue. Running everywhere at once is safe: every
 * step is conditional.
 * <p>
 * The sweep reads only the agents who are present (both partitions of the routing index, RoutableIndex#present), never
 * the whole agents table; an agent who looks absent there is re-read consistently before anything is written. A rare
 * repair scan ({@code index-repair-interval}) corrects index entries a crash left wrong.
 */
@ApplicationScoped
public class PresenceSweeper {

    private static final Logger LOG = Logger.getLogger(PresenceSweeper.class);

    private final RoutingStore store;
    private final RoutableIndex index;
    private final Router router;
    private final LocalSockets sockets;
    private final Delivery delivery;
    private final InstanceId instance;
    private final RoutingConfig config;

    PresenceSweeper(RoutingStore store, RoutableIndex index, Router router, LocalSockets sockets, Delivery delivery,
            InstanceId instance, RoutingConfig config) {
        this.store = store;
        this.index = index;
        this.router = router;
        this.sockets = sockets;
        this.delivery = delivery;
        this.instance = instance;
        this.config = config;
    }

    @Scheduled(every = "${switchboard.routing.heartbeat-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        for (String agent : sockets.agents()) {
            try {
                store.heartbeat(agent, instance.get());
            } catch (RuntimeException e) {
                LOG.warnf("heartbeat of %s failed: %s", agent, e.getMessage());
            }
        }
    }

    @Scheduled(every = "${switchboard.routing.sweep-interval:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        try {
            expireAbsentAgents();
            // A safety net for a change event missed or a race lost: waiting conversations and free agents meet here.
            router.drain();
        } catch (RuntimeException e) {
            LOG.warnf(e, "presence sweep failed");
        }
    }

    @Scheduled(every = "${switchboard.routing.index-repair-interval:10m}", delayed = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void repairIndex() {
        try {
            int corrected = store.repairIndex();
            if (corrected > 0) {
                LOG.infof("corrected %d routing index entries", corrected);
            }
        } catch (RuntimeException e) {
            LOG.warnf("routing index repair failed: %s", e.getMessage());
        }
    }

    void expireAbsentAgents() {
        long now = System.currentTimeMillis();
        for (Presence hint : index.present()) {
            try {
                if (!absent(hint, now)) {
                    continue;
                }
                // The index lags its items: decide on the item itself.
                Presence presence = store.presence(hint.agent()).orElse(null);
                if (presence != null) {
                    expireIfAbsent(presence, now);
                }
            } catch (RuntimeException e) {
                // One agent's trouble must not keep the others' conversations from the queue.
                LOG.warnf("could not expire %s: %s", hint.agent(), e.getMessage());
            }
        }
    }

    /** Whether the agent's grace period is over or nobody vouched for them lately, while they hold anything. */
    private boolean absent(Presence presence, long now) {
        if (presence.status() == Presence.Status.OFFLINE && presence.load() <= 0) {
            return false;
        }
        boolean graceOver = presence.disconnectedAt() != null
                && now - presence.disconnectedAt().toEpochMilli() > config.disconnectGrace().toMillis();
        boolean silent = presence.heartbeatAt() == null
                || now - presence.heartbeatAt().toEpochMilli() > config.heartbeatTimeout().toMillis();
        return graceOver || silent;
    }

    private void expireIfAbsent(Presence presence, long now) {
        if (!absent(presence, now)) {
            return;
        }
        if (presence.status() != Presence.Status.OFFLINE && !store.markOffline(presence)) {
            return;
        }
        for (Conversation conversation : store.assignedTo(presence.agent())) {
            Instant waitingSince = conversation.lastInboundAt() != null ? conversation.lastInboundAt()
                    : conversation.stateSince();
            if (store.release(conversation.id(), presence.agent(), Conversation.State.WAITING, waitingSince)) {
                LOG.infof("%s returned to the queue: %s was away longer than the grace period", conversation.id(),
                        presence.agent());
                delivery.toAgent(presence.agent(), new Frames.Unassigned(conversation.id(), "expired"));
            }
        }
    }
}
