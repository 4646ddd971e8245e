package dev.switchboard.outbound;

/** An agent's command that was refused before anything changed; its code goes back in an {@code error} frame. */
public class AgentActionRefused extends RuntimeException {

    private final String code;

    public AgentActionRefused(String code, String reason) {
        super(reason);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
