package dev.switchboard.events;

import java.util.List;

/**
 * A {@link MessageChangeListener} that takes the changes of one conversation in one stream batch at once, for work that
 * is cheaper per batch than per change (one summary write, one routing pass). The dispatcher calls
 * {@link #onMessageChanges(List)} instead of {@link #onMessageChange(MessageChange)}, still in listener order: every
 * listener sees the conversation's changes before the next one does. Such a listener owns the isolation of failures:
 * one change that fails must not stop the others.
 */
public interface MessageBatchListener extends MessageChangeListener {

    /** Changes in stream order; the dispatcher passes those of one conversation, but any mix must work. */
    void onMessageChanges(List<MessageChange> changes);

    /**
     * Called once the whole stream batch was handled by every listener, before it is checkpointed: for work that covers
     * every conversation at once (one pass over the queue).
     */
    default void afterBatch() {
    }

    /** One change outside a stream batch: a batch of one, ended at once. */
    @Override
    default void onMessageChange(MessageChange change) {
        onMessageChanges(List.of(change));
        afterBatch();
    }
}
