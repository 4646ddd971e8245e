package dev.switchboard.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import software.amazon.awssdk.core.exception.SdkException;

import dev.switchboard.events.MessageChange;
import dev.switchboard.events.MessageChangeListener;
import dev.switchboard.history.ConversationKey;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.MediaItem;
import dev.switchboard.history.Message;
import dev.switchboard.history.WorkStore;
import dev.switchboard.routing.InstanceId;
import dev.switchboard.twilio.MediaDownload;
import dev.switchboard.twilio.MediaFetchException;
import dev.switchboard.twilio.TwilioMedia;

/**
 * Copies an MMS's media from Twilio into S3 after the webhook has been answered, and records on the message what became
 * of each file: stored, rejected by a limit, or failed after retries. Driven by the message's INSERT on the stream,
 * with {@link MediaSweeper} for whatever a crash or a full pool left; both claim the message first (a lease), so one
 * instance works on it at a time. Every file reaches a final state within {@code switchboard.media.final-within}.
 */
@ApplicationScoped
public class MediaIngest implements MessageChangeListener {

    private static final Logger LOG = Logger.getLogger(MediaIngest.class);
    private static final String FALLBACK_TYPE = "application/octet-stream";

    private final TwilioMedia twilio;
    private final MediaStore store;
    private final HistoryStore history;
    private final MediaConfig config;
    private final MeterRegistry metrics;
    private final WorkStore work;
    private final InstanceId instance;
    private final ThreadPoolExecutor workers;

    MediaIngest(TwilioMedia twilio, MediaStore store, HistoryStore history, MediaConfig config, MeterRegistry metrics,
            WorkStore work, InstanceId instance) {
        this.work = work;
        this.instance = instance;
        this.twilio = twilio;
        this.store = store;
        this.history = history;
        this.config = config;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueSize()), runnable -> {
                    Thread thread = new Thread(runnable, "media-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public void onMessageChange(MessageChange change) {
        if ("INSERT".equals(change.eventName()) && change.newImage() != null
                && HistoryStore.MEDIA_WORK.equals(Message.owedWork(change.newImage()))) {
            submit(change.conversation(), change.messageId());
        }
    }

    /** Claims and fetches the message's media on the pool; returns at once. A full pool leaves it to the sweeper. */
    void submit(String conversation, String id) {
        try {
            workers.execute(() -> {
                try {
                    claimAndIngest(conversation, id);
                } catch (RuntimeException e) {
                    // The claim, if taken, runs out and a sweeper takes the media over.
                    LOG.errorf(e, "fetching the media of %s in %s failed", id, conversation);
                }
            });
        } catch (RejectedExecutionException full) {
            LOG.warnf("media queue full; %s of %s is left to the sweeper", id, conversation);
        }
    }

    /**
     * Claims the message's owed media and fetches what is still pending. A claim never runs past the message's
     * deadline, so a sweeper can always settle it in time; past the deadline, or after too many claims, whatever is
     * still pending is recorded as failed.
     */
    void claimAndIngest(String conversation, String id) {
        long now = System.currentTimeMillis();
        long until = now + config.claimLease().toMillis();
        Optional<WorkStore.Claim> claim = work.claim(conversation, id, HistoryStore.MEDIA_WORK, instance.get(), until);
        if (claim.isEmpty()) {
            return;
        }
        Message message = claim.get().message();
        long deadline = deadline(message);
        if (until > deadline && now < deadline) {
            // Were this instance to die, the claim must run out in time for a sweeper to settle the media.
            work.shorten(conversation, id, instance.get(), deadline);
        }
        if (now >= deadline || claim.get().attempts() > config.maxAttempts()) {
            String reason = now >= deadline
                    ? "not fetched within " + config.finalWithin() + " (switchboard.media.final-within)"
                    : "fetch interrupted " + config.maxAttempts() + " times (switchboard.media.max-attempts)";
            for (MediaItem media : message.media()) {
                if (media.state() == MediaItem.State.PENDING) {
                    record(message, media.failed(reason));
                }
            }
        } else {
            ingest(message);
        }
        work.finish(conversation, id, instance.get());
    }

    /** When every attachment must have its final state, less one sweep so the sweeper is in time. */
    long deadline(Message message) {
        return message.createdAt().toEpochMilli() + config.finalWithin().toMillis() - config.sweepInterval().toMillis();
    }

    void ingest(Message message) {
        long total = 0;
        for (MediaItem media : message.media()) {
            if (media.state() == MediaItem.State.STORED) {
                total += media.size() == null ? 0 : media.size();
            }
        }
        for (MediaItem media : message.media()) {
            if (media.state() != MediaItem.State.PENDING) {
                continue; // settled by an earlier claim
            }
            MediaItem outcome;
            try {
                outcome = fetchAndStore(message, media, config.maxTotalBytes() - total);
            } catch (MediaFetchException.Refused e) {
                outcome = media.rejected(e.getMessage());
            } catch (MediaFetchException e) {
                outcome = media.failed(e.getMessage());
            } catch (SdkException | IOException e) {
                LOG.warnf(e, "could not store media %d of %s", media.index(), message.twilioSid());
                outcome = media.failed("could not store the file: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "media %d of %s failed", media.index(), message.twilioSid());
                outcome = media.failed("unexpected error: " + e);
            }
            if (outcome.state() == MediaItem.State.STORED) {
                total += outcome.size();
            }
            record(message, outcome);
        }
    }

    private MediaItem fetchAndStore(Message message, MediaItem media, long totalLeft) throws IOException {
        try (MediaDownload download = twilio.open(URI.create(media.sourceUrl()))) {
            String type = download.contentType() != null ? download.contentType()
                    : media.contentType() != null ? media.contentType() : FALLBACK_TYPE;
            String key = key(message, media.index());
            if (download.length().isPresent()) {
                long length = download.length().getAsLong();
                String refusal = refusal(length, totalLeft);
                if (refusal != null) {
                    return media.rejected(refusal);
                }
                store.put(key, type, length, download.body());
                return media.stored(key, type, length);
            }
            // No declared length: read at most one byte past what is allowed, so the limit is enforced while reading.
            long allowed = Math.min(config.maxFileBytes(), Math.max(totalLeft, 0));
            byte[] bytes = readAtMost(download.body(), allowed + 1);
            String refusal = refusal(bytes.length, totalLeft);
            if (refusal != null) {
                return media.rejected(refusal);
            }
            store.put(key, type, bytes.length, new ByteArrayInputStream(bytes));
            return media.stored(key, type, bytes.length);
        }
    }

    private String refusal(long length, long totalLeft) {
        if (length > config.maxFileBytes()) {
            return "file is " + length + " bytes, over the " + config.maxFileBytes()
                    + "-byte limit per file (switchboard.media.max-file-bytes)";
        }
        if (length > totalLeft) {
            return "the message's media would exceed " + config.maxTotalBytes()
                    + " bytes in total (switchboard.media.max-total-bytes)";
        }
        return null;
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
    }

    /**
     * {@code media/<business>/<customer>/<MessageSid>/<index>}: one object per attachment, never overwritten by
     * another.
     */
    static String key(Message message, int index) {
        ConversationKey conversation = ConversationKey.parse(message.conversation());
        return "media/" + digits(conversation.business()) + "/" + digits(conversation.customer()) + "/"
                + message.twilioSid() + "/" + index;
    }

    private static String digits(String number) {
        return number.startsWith("+") ? number.substring(1) : number;
    }

    private void record(Message message, MediaItem outcome) {
        metrics.counter("switchboard.media", "outcome", outcome.state().wire()).increment();
        try {
            history.recordMedia(message.conversation(), message.id(), outcome);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not record media %d of %s as %s", outcome.index(), message.twilioSid(),
                    outcome.state().wire());
        }
    }

    @PreDestroy
    void drain() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warnf("%d media downloads still queued at shutdown", workers.getQueue().size());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
