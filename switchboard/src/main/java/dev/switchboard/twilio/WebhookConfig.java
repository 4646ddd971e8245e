package dev.switchboard.twilio;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on inbound webhooks. */
@ConfigMapping(prefix = "switchboard.webhook")
public interface WebhookConfig {

    /**
     * Largest request body accepted, in bytes; larger ones get 413. A maximal Twilio webhook (1,600 characters of
     * emoji, ten media URLs) stays under 32 KiB.
     */
    @WithDefault("65536")
    int maxBodyBytes();

    /** Longest message body accepted, in characters (Twilio's own limit). */
    @WithDefault("1600")
    int maxBodyCharacters();
}
