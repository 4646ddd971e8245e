package dev.switchboard.console.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Multi;

/**
 * What sits between one agent's switchboard socket and their browser. Implemented as a streaming transform so that
 * scoring never blocks the socket: each frame goes out at once, scores follow as their own frames.
 */
public interface Enrichment {

    /**
     * Enriches one agent's upstream frames (the switchboard's {@code assigned}, {@code update}, {@code status}, ...
     * frames as JSON objects, in order).
     *
     * @return every input frame, in order and without waiting for any scoring, with each message object
     *         ({@code assigned.history[]}, {@code update.message}) carrying {@code relative} and, when already scored
     *         on this instance, {@code sentiment}; interleaved with one {@code sentiment} frame per message scored
     *         later, and with {@code relative} frames re-sending the relative times that changed as time passed
     */
    Multi<ObjectNode> enrich(Multi<ObjectNode> upstream);
}
