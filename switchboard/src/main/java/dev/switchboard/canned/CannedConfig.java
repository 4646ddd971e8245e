package dev.switchboard.canned;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where canned replies are kept, and how many. */
@ConfigMapping(prefix = "switchboard.canned")
public interface CannedConfig {

    /** Table with one item per canned reply, one per shortcut in use, and their count (see {@link CannedStore}). */
    @WithDefault("switchboard-canned-replies")
    String table();

    /**
     * Most canned replies there may be. Every agent's console loads them all, so this bounds what each sign-in reads; a
     * create past it is refused with 409.
     */
    @WithDefault("500")
    int maxReplies();
}
