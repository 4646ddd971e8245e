package dev.switchboard.twilio;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How MMS media is downloaded from Twilio. Its keys sit beside the other media settings ({@code switchboard.media.*})
 * but belong to this package, so that downloading depends on nothing of the media package that uses it.
 */
@ConfigMapping(prefix = "switchboard.media")
public interface TwilioMediaConfig {

    /**
     * Hosts media may be fetched from, as {@code host[:port]} (no port means 443). The account's credentials are sent
     * only to these; redirects elsewhere are followed without them. {@link MediaUrlPolicy} applies the rest.
     */
    @WithDefault("api.twilio.com")
    List<String> allowedHosts();

    /** Time allowed for one download, from request to last byte. */
    @WithDefault("20s")
    Duration fetchTimeout();

}
