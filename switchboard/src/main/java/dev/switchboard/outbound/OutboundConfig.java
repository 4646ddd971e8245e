package dev.switchboard.outbound;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How replies are sent: claimed with a lease, on a small pool, with a sweeper for whatever a crash left behind. */
@ConfigMapping(prefix = "switchboard.outbound")
public interface OutboundConfig {

    /**
     * How long a claim on a reply holds. It must outlast a whole send with its retries (TwilioSender: 4 attempts of at
     * most 20 s): a sender still working when it expires would see its reply settled as {@code unknown_outcome}.
     */
    @WithDefault("2m")
    Duration claimLease();

    /** How often each instance looks for replies nobody claimed, or whose claim expired. */
    @WithDefault("10s")
    Duration sweepInterval();

    /** Replies one sweep takes on at most. */
    @WithDefault("50")
    int sweepBatch();

    /** Threads sending replies; the stream never waits for Twilio. */
    @WithDefault("4")
    int senders();

    /** Replies waiting for a sender thread; beyond this they are left to the sweeper, never dropped. */
    @WithDefault("1000")
    int queueSize();
}
