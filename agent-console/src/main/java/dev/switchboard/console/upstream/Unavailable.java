package dev.switchboard.console.upstream;

/** The switchboard did not answer usefully in time (unreachable, timed out, 5xx, 429): worth a retry. */
public class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
