package dev.switchboard.contacts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

import dev.switchboard.ops.StartupConfig;

/** Creates the contacts table at start-up when {@code switchboard.startup.create-resources} says so. */
@ApplicationScoped
class ContactTables {

    void onStart(@Observes StartupEvent event, StartupConfig config, ContactStore store) {
        if (config.createResources()) {
            store.createTableIfMissing();
        }
    }
}
