package dev.switchboard.outbound;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.WorkStore;

/**
 * Runs on every instance: finds replies owing a send whose due time passed (never claimed within the stream grace, or
 * claimed by an instance whose lease expired) and settles each. One being sent when its sender died becomes
 * {@code failed/unknown_outcome} (the agent gets a {@code status} frame from its change); any other is claimed and
 * sent. All of it through conditional writes, so N instances sweeping at once send each reply at most once.
 */
@ApplicationScoped
public class ReplySweeper {

    private static final Logger LOG = Logger.getLogger(ReplySweeper.class);

    private final WorkStore work;
    private final ReplySender sender;
    private final OutboundConfig config;
    private final MeterRegistry metrics;

    ReplySweeper(WorkStore work, ReplySender sender, OutboundConfig config, MeterRegistry metrics) {
        this.work = work;
        this.sender = sender;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${switchboard.outbound.sweep-interval:10s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        try {
            for (WorkStore.Due due : work.due(HistoryStore.REPLY_WORK, System.currentTimeMillis(),
                    config.sweepBatch())) {
                settle(due);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "reply sweep failed");
        }
    }

    void settle(WorkStore.Due due) {
        if (work.failUnknownOutcome(due.conversation(), due.id())) {
            LOG.warnf("reply %s of %s was being sent when its instance stopped: failed/unknown_outcome", due.id(),
                    due.conversation());
            metrics.counter("switchboard.outbound", "outcome", "unknown_outcome").increment();
            return;
        }
        sender.submit(due.conversation(), due.id());
    }
}
