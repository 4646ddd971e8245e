package dev.switchboard.local;

import java.nio.file.Path;

/** A process the local run started and supervises: a JVM, redis-server or HAProxy. */
public interface Running {

    long pid();

    boolean isAlive();

    /** Its exit code once it has ended (128 + the signal when a signal ended it). */
    int exitCode();

    /** Where its output goes. */
    Path log();

    /** Politely first, then by force; returns once it has ended. */
    void stop();

    /** At once, as a crash would. */
    void kill();
}
