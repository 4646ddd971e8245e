package dev.switchboard.media;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where MMS media goes and how much of it is accepted. Where it may be fetched from, and how fast, is Twilio's side:
 * {@link dev.switchboard.twilio.TwilioMediaConfig} (same prefix).
 */
@ConfigMapping(prefix = "switchboard.media")
public interface MediaConfig {

    /** S3 bucket holding media. */
    @WithDefault("switchboard-media")
    String bucket();

    /** Largest single file accepted, in bytes. */
    @WithDefault("5242880")
    long maxFileBytes();

    /** Largest total of one message's files, in bytes (Twilio's MMS limit is 5 MB). */
    @WithDefault("5242880")
    long maxTotalBytes();

    /** Threads downloading media; a webhook never waits for them. */
    @WithDefault("4")
    int workers();

    /** Messages whose media may wait for a worker; beyond this they are left to the sweeper, never dropped. */
    @WithDefault("1000")
    int queueSize();

    /**
     * Every attachment is {@code stored}, {@code rejected} or {@code failed} within this time of its webhook, whatever
     * crashes in between.
     */
    @WithDefault("10m")
    Duration finalWithin();

    /** How long a claim on a message's media holds; an instance that dies while fetching is replaced after it. */
    @WithDefault("3m")
    Duration claimLease();

    /** Claims of one message's media before what is still pending is recorded as failed. */
    @WithDefault("3")
    int maxAttempts();

    /** How often each instance looks for media nobody claimed, or whose claim expired. */
    @WithDefault("30s")
    Duration sweepInterval();

    /** Messages one sweep takes on at most. */
    @WithDefault("20")
    int sweepBatch();

    /** How long a presigned media URL handed to agents stays valid. */
    @WithDefault("15m")
    Duration presignedUrlTtl();

    /**
     * Largest picture an agent may upload ({@code POST /media}), in bytes; 413 above. Twilio takes at most 5 MB of
     * media per message, so the default is that.
     */
    @WithDefault("5242880")
    long maxUploadBytes();

    /** Pictures one reply or {@code start} may carry; Twilio sends at most 10 media per message. */
    @WithDefault("10")
    int maxPerMessage();

    /**
     * How long the presigned URL of an agent's picture, handed to Twilio with the reply, stays valid. Twilio fetches
     * the media when it takes the message off its queue, and a message may wait there up to its validity period, at
     * most 36,000 s (10 h, Twilio's default and maximum); 12 h outlives that with room for our own retries. At most 7
     * days (the longest an S3 SigV4 presigned URL can be). With temporary credentials (an ECS task role) a presigned
     * URL also stops working when the credentials that signed it expire, whatever this says.
     */
    @WithDefault("12h")
    Duration twilioUrlTtl();
}
