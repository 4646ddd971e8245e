package dev.switchboard.events;

/**
 * Implemented by CDI beans that react to message changes. Called on the consumer's thread; must be idempotent (records
 * can be re-delivered after the last checkpoint) and should not throw.
 */
public interface MessageChangeListener {

    void onMessageChange(MessageChange change);

    /**
     * Listeners are called in ascending order for each change: the conversation projection ({@link #PROJECTION}) runs
     * before anything that reads the conversation, such as routing.
     */
    default int order() {
        return DEFAULT;
    }

    int PROJECTION = 0;
    int DEFAULT = 100;
}
