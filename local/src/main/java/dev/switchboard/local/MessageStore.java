package dev.switchboard.local;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The messages the stand-in accepted, oldest first, in memory: it stands in for Twilio's cloud, whose memory ends with
 * the process. Waiters are woken on every change so tests can wait for a state instead of sleeping.
 */
final class MessageStore {

    private final Map<String, SentMessage> messages = new LinkedHashMap<>();

    synchronized void add(SentMessage message) {
        messages.put(message.sid(), message);
        notifyAll();
    }

    synchronized Optional<SentMessage> get(String sid) {
        return Optional.ofNullable(messages.get(sid));
    }

    synchronized List<SentMessage> all() {
        return List.copyOf(messages.values());
    }

    synchronized void clear() {
        messages.clear();
        notifyAll();
    }

    /** Changes a message if it is still there; a message cleared meanwhile stays gone. */
    synchronized void update(String sid, UnaryOperator<SentMessage> change) {
        SentMessage current = messages.get(sid);
        if (current != null) {
            messages.put(sid, change.apply(current));
            notifyAll();
        }
    }

    /**
     * Waits until {@code done} holds for the messages, then returns what {@code result} makes of them.
     *
     * @throws AssertionError
     *             when it does not hold in time: these waits are for tests, where that is a failure
     */
    synchronized <T> T await(Predicate<List<SentMessage>> done, Function<List<SentMessage>, T> result, Duration timeout,
            String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SentMessage> now = List.copyOf(messages.values());
            if (done.test(now)) {
                return result.apply(now);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; messages: " + now);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }
}
