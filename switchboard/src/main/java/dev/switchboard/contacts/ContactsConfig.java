package dev.switchboard.contacts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where customers' contact details are kept. */
@ConfigMapping(prefix = "switchboard.contacts")
public interface ContactsConfig {

    /** Table with one item per customer who has a name or notes, keyed by their E.164 number ({@code customer}). */
    @WithDefault("switchboard-contacts")
    String table();
}
