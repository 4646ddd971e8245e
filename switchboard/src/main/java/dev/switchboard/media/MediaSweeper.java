package dev.switchboard.media;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.WorkStore;

/**
 * Runs on every instance: finds messages whose media is still owed and due (never claimed within the stream grace, or
 * claimed by an instance whose lease ran out) and fetches it, or fails it once past its deadline. Claims are
 * conditional writes, so N instances sweeping at once work on each message one at a time.
 */
@ApplicationScoped
public class MediaSweeper {

    private static final Logger LOG = Logger.getLogger(MediaSweeper.class);

    private final WorkStore work;
    private final MediaIngest ingest;
    private final MediaConfig config;

    MediaSweeper(WorkStore work, MediaIngest ingest, MediaConfig config) {
        this.work = work;
        this.ingest = ingest;
        this.config = config;
    }

    @Scheduled(every = "${switchboard.media.sweep-interval:30s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        try {
            for (WorkStore.Due due : work.due(HistoryStore.MEDIA_WORK, System.currentTimeMillis(),
                    config.sweepBatch())) {
                ingest.submit(due.conversation(), due.id());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "media sweep failed");
        }
    }
}
