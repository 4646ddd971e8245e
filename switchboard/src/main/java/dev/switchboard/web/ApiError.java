package dev.switchboard.web;

/**
 * The body of every error response.
 *
 * @param status
 *            HTTP status
 * @param reason
 *            what was wrong, in words
 */
public record ApiError(int status, String reason) {
}
