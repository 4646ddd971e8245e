package dev.switchboard.history;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Time-ordered unique message ids (the ULID layout: 48 bits of milliseconds, then 80 random bits, in Crockford base32).
 * They sort as text in creation order, so they serve as the sort key of a conversation's messages. Within one instance
 * ids taken in the same millisecond still increase; across instances the random part keeps them apart.
 */
@ApplicationScoped
public class MessageIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern SHAPE = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis;
    private long lastHigh;
    private long lastLow;

    @Inject
    public MessageIds() {
        this(Clock.systemUTC());
    }

    MessageIds(Clock clock) {
        this.clock = clock;
    }

    public synchronized String next() {
        long millis = clock.millis();
        if (millis <= lastMillis) {
            // Same (or earlier, if the clock stepped back) millisecond: count up from the last id.
            millis = lastMillis;
            lastLow = (lastLow + 1) & 0xFFFFFFFFFFL;
            if (lastLow == 0) {
                lastHigh = (lastHigh + 1) & 0xFFFFFFFFFFL;
            }
        } else {
            lastMillis = millis;
            lastHigh = random.nextLong() & 0xFFFFFFFFFFL;
            lastLow = random.nextLong() & 0xFFFFFFFFFFL;
        }
        char[] out = new char[26];
        encode(millis, out, 0, 10);
        encode(lastHigh, out, 10, 8);
        encode(lastLow, out, 18, 8);
        return new String(out);
    }

    private static void encode(long value, char[] out, int offset, int length) {
        for (int i = offset + length - 1; i >= offset; i--) {
            out[i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }

    /** Whether the text has the shape of an id, so it can be trusted as a paging cursor. */
    public static boolean isId(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }
}
