package dev.switchboard.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

/** Remembers every change this instance handled, and when. */
@ApplicationScoped
public class RecordingListener implements MessageChangeListener {

    public record Seen(MessageChange change, Instant at) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onMessageChange(MessageChange change) {
        seen.add(new Seen(change, Instant.now()));
    }

    public List<Seen> of(String messageId) {
        return seen.stream().filter(s -> messageId.equals(s.change().messageId())).toList();
    }

    public List<Seen> of(String messageId, String eventName) {
        return of(messageId).stream().filter(s -> eventName.equals(s.change().eventName())).toList();
    }

    /** The first matching change, waiting for it up to {@code timeout}; null when none came. */
    public Seen await(Predicate<MessageChange> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (Seen s : seen) {
                if (match.test(s.change())) {
                    return s;
                }
            }
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        return null;
    }
}
