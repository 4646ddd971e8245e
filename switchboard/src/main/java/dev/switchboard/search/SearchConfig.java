package dev.switchboard.search;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Conversation search. */
@ConfigMapping(prefix = "switchboard.search")
public interface SearchConfig {

    /** Items a search reads at most from each table (conversations, contacts): its cost bound. */
    @WithDefault("20000")
    int maxScannedItems();

    /** Conversations a search answers at most. */
    @WithDefault("50")
    int maxResults();
}
