package dev.switchboard.agents;

import java.util.Set;

/** The roles an agent can hold; tokens carry them as {@code groups}. */
public final class Roles {

    /** Answers customers. */
    public static final String AGENT = "agent";
    /** Manages agents. */
    public static final String ADMIN = "admin";

    public static final Set<String> ALL = Set.of(AGENT, ADMIN);

    private Roles() {
    }
}
