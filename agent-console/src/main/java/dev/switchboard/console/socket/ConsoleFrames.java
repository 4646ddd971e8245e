package dev.switchboard.console.socket;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Frames the console itself sends to a browser, besides the switchboard's own (enriched) ones. */
final class ConsoleFrames {

    private ConsoleFrames() {
    }

    static final String CONNECTED = "connected";
    static final String RECONNECTING = "reconnecting";
    static final String SIGNED_OUT = "signed_out";

    /**
     * The state of the agent's link to the switchboard: {@code connected} (what follows resyncs every conversation),
     * {@code reconnecting} (next attempt in {@code retryInMs}), {@code signed_out} (the socket closes next).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Connection(String type, String state, Long retryInMs, String reason) {
        Connection(String state, Long retryInMs, String reason) {
            this("connection", state, retryInMs, reason);
        }
    }

    /** A command was not passed on; shaped like the switchboard's own {@code error} frames. */
    record Error(String type, String code, String reason) {
        Error(String code, String reason) {
            this("error", code, reason);
        }
    }

    /**
     * What a browser may send, passed on to the switchboard as is: {@code available {capacity?}}, {@code away},
     * {@code response {conversation, body, clientId?, media?}}, {@code resolve {conversation}}, {@code transfer
     * {conversation, agent}}, {@code note {conversation, body}}, {@code read {conversation}}, {@code retry
     * {conversation, messageId}}, {@code start {customer, body, clientId?, media?}} ({@code media}: mediaIds from
     * {@code POST /console/api/media}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Command(String type, Integer capacity, String conversation, String body, String agent, String clientId,
            String messageId, String customer, List<String> media) {
    }
}
