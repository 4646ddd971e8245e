package dev.switchboard.history;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Twilio's outbound message statuses, in the only order they may be recorded: queued → sending → sent → delivered |
 * undelivered | failed. A status never moves back, so a late {@code sent} after {@code delivered} changes nothing.
 */
public enum MessageStatus {
    QUEUED(0), ACCEPTED(0), SCHEDULED(0), SENDING(1), SENT(2), DELIVERED(3), UNDELIVERED(3), FAILED(3), CANCELED(3);

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The statuses this one may replace. */
    List<MessageStatus> earlier() {
        return Arrays.stream(values()).filter(other -> other.rank < rank).toList();
    }

    public boolean isFinal() {
        return rank == 3;
    }

    public static Optional<MessageStatus> fromWire(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
