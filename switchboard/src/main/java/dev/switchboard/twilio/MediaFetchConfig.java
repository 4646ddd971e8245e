package dev.switchboard.twilio;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which media URLs the switchboard fetches at all (see {@link MediaUrlPolicy}). */
@ConfigMapping(prefix = "switchboard.media.fetch")
public interface MediaFetchConfig {

    /** URL schemes fetched, on the first request and on every redirect. Production: https only. */
    @WithDefault("https")
    List<String> schemes();

    /**
     * {@code host:port} pairs that may be fetched although they resolve to a loopback, link-local or private address
     * (local stand-ins and test servers only). Every other such address is refused, on the first request and on every
     * redirect.
     */
    Optional<List<String>> privateHosts();
}
