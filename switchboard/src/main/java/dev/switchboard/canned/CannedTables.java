package dev.switchboard.canned;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

import dev.switchboard.ops.StartupConfig;

/** Creates the canned replies' table at start-up when {@code switchboard.startup.create-resources} says so. */
@ApplicationScoped
class CannedTables {

    void onStart(@Observes StartupEvent event, StartupConfig config, CannedStore store) {
        if (config.createResources()) {
            store.createTableIfMissing();
        }
    }
}
