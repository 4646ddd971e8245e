package dev.switchboard.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

import dev.switchboard.agents.AgentStore;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.media.MediaStore;

/** Creates tables and bucket at start-up when {@code switchboard.startup.create-resources} says so. */
@ApplicationScoped
public class StartupResources {

    void onStart(@Observes StartupEvent event, StartupConfig config, HistoryStore history, MediaStore media,
            AgentStore agents) {
        if (config.createResources()) {
            history.createTablesIfMissing();
            agents.createTableIfMissing();
            media.createBucketIfMissing();
        }
    }
}
