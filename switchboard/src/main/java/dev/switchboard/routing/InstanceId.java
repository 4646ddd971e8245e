package dev.switchboard.routing;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/** Names this process among the switchboard's instances, for presence records. */
@ApplicationScoped
public class InstanceId {

    private final String id = UUID.randomUUID().toString();

    public String get() {
        return id;
    }
}
