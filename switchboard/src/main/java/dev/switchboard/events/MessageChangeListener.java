package dev.switchboard.events;

/**
 * Implemented by CDI beans that react to message changes. Called on the consumer's thread; must be idempotent (records
 * can be re-delivered after the last checkpoint) and should not throw.
 */
public interface MessageChangeListener {

    void onMessageChange(MessageChange change);
}
