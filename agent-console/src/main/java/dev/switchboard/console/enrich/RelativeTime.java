package dev.switchboard.console.enrich;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.ocpsoft.prettytime.Duration;
import org.ocpsoft.prettytime.PrettyTime;
import org.ocpsoft.prettytime.TimeFormat;
import org.ocpsoft.prettytime.TimeUnit;
import org.ocpsoft.prettytime.units.Day;
import org.ocpsoft.prettytime.units.JustNow;

/**
 * "just now", "2 minutes ago", "yesterday" with PrettyTime, English. Anything under a minute, either way (clocks of the
 * switchboard and the console differ a little), reads "just now"; one day reads "yesterday" / "tomorrow".
 */
@ApplicationScoped
public class RelativeTime {

    private final Clock clock;
    // PrettyTime keeps its reference time and unit caches in the instance: one instance, used under its lock.
    private final PrettyTime pretty;

    @Inject
    public RelativeTime() {
        this(Clock.systemUTC());
    }

    public RelativeTime(Clock clock) {
        this.clock = clock;
        this.pretty = new PrettyTime(Locale.ENGLISH);
        JustNow justNow = pretty.getUnit(JustNow.class);
        justNow.setMaxQuantity(60_000);
        pretty.registerUnit(justNow, new Fixed(null, "just now"));
        TimeUnit day = pretty.getUnit(Day.class);
        pretty.registerUnit(day, new Fixed(pretty.getFormat(day), null));
    }

    public Instant now() {
        return clock.instant();
    }

    /** @return e.g. "3 minutes ago", relative to now */
    public String format(Instant at) {
        return format(at, clock.instant());
    }

    /** @return e.g. "3 minutes ago", relative to {@code now}: labels shown together are computed at one instant */
    public String format(Instant at, Instant now) {
        synchronized (pretty) {
            pretty.setReference(now);
            return pretty.format(at);
        }
    }

    // A unit's words replaced: always the same words (just now), or only for a quantity of one (yesterday).
    private record Fixed(TimeFormat others, String always) implements TimeFormat {

        // PrettyTime's own (percent of a unit) for rounding "1.4 days" to one.
        private static final int ROUNDING_TOLERANCE = 50;

        @Override
        public String format(Duration duration) {
            if (always != null) {
                return always;
            }
            if (Math.abs(duration.getQuantityRounded(ROUNDING_TOLERANCE)) == 1) {
                return duration.isInFuture() ? "tomorrow" : "yesterday";
            }
            return others.format(duration);
        }

        @Override
        public String formatUnrounded(Duration duration) {
            return format(duration);
        }

        @Override
        public String decorate(Duration duration, String time) {
            if (always != null || time.equals("yesterday") || time.equals("tomorrow")) {
                return time;
            }
            return others.decorate(duration, time);
        }

        @Override
        public String decorateUnrounded(Duration duration, String time) {
            return decorate(duration, time);
        }
    }
}
