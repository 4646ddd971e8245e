package dev.switchboard.console.enrich;

import java.util.List;

/**
 * A conversation's sentiment over the customer's last scored messages.
 *
 * @param mean
 *            mean of {@code points}, 2 decimals; null before any message is scored
 * @param direction
 *            {@code rising}, {@code falling} or {@code steady}: the newer half of the points against the older
 * @param negative
 *            whether the console should highlight the conversation
 * @param points
 *            the scores mapped to -2 (very negative) .. +2 (very positive), oldest first, for a sparkline
 */
public record Trend(Double mean, String direction, boolean negative, List<Integer> points) {
}
