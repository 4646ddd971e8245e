package dev.switchboard.media;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where MMS media goes and how much of it is accepted. */
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

    /**
     * Hosts media may be fetched from. The account's credentials are sent only to these; redirects elsewhere are
     * followed without them.
     */
    @WithDefault("api.twilio.com")
    List<String> allowedHosts();

    /** Time allowed for one download, from request to last byte. */
    @WithDefault("20s")
    Duration fetchTimeout();

    /** Threads downloading media; a webhook never waits for them. */
    @WithDefault("4")
    int workers();

    /** Downloads that may wait for a worker; beyond this a message's media is recorded as failed, not dropped. */
    @WithDefault("1000")
    int queueSize();

    /** How long a presigned media URL handed to agents stays valid. */
    @WithDefault("15m")
    Duration presignedUrlTtl();
}
