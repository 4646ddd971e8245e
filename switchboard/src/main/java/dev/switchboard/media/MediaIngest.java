package dev.switchboard.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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

import dev.switchboard.history.ConversationKey;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.MediaItem;
import dev.switchboard.history.Message;
import dev.switchboard.twilio.MediaDownload;
import dev.switchboard.twilio.MediaFetchException;
import dev.switchboard.twilio.TwilioMedia;

/**
 * Copies an MMS's media from Twilio into S3 after the webhook has been answered, and records on the message what became
 * of each file: stored, rejected by a limit, or failed after retries. Nothing is dropped without a trace.
 */
@ApplicationScoped
public class MediaIngest {

    private static final Logger LOG = Logger.getLogger(MediaIngest.class);
    private static final String FALLBACK_TYPE = "application/octet-stream";

    private final TwilioMedia twilio;
    private final MediaStore store;
    private final HistoryStore history;
    private final MediaConfig config;
    private final MeterRegistry metrics;
    private final ThreadPoolExecutor workers;

    MediaIngest(TwilioMedia twilio, MediaStore store, HistoryStore history, MediaConfig config, MeterRegistry metrics) {
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

    /** Queues the message's media for download; returns at once. */
    public void schedule(Message message) {
        try {
            workers.execute(() -> ingest(message));
        } catch (RejectedExecutionException full) {
            LOG.warnf("media queue full; recording %d files of %s as failed", message.media().size(),
                    message.twilioSid());
            for (MediaItem media : message.media()) {
                record(message, media.failed("media queue full (switchboard.media.queue-size)"));
            }
        }
    }

    void ingest(Message message) {
        long total = 0;
        for (MediaItem media : message.media()) {
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
