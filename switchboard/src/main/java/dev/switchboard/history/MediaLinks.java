package dev.switchboard.history;

import java.net.URL;

/**
 * Links to stored media for clients. Implemented by the media package, so that history, which the media package writes
 * to, does not depend on it in turn.
 */
public interface MediaLinks {

    /** A time-limited URL through which a browser can load the stored object without AWS credentials. */
    URL presignedGet(String key);
}
