package dev.switchboard.canned;

import java.time.Instant;

/**
 * A text an agent inserts by its shortcut ({@code /thanks}). {@code text} may hold the placeholders
 * {@code {{customer.name}}} and {@code {{agent.name}}}, which the console fills in.
 *
 * @param id
 *            assigned by the switchboard
 * @param shortcut
 *            unique; lower-case letters, digits, {@code -} and {@code _}
 * @param updatedBy
 *            the admin who last wrote it
 */
public record CannedReply(String id, String shortcut, String text, Instant createdAt, Instant updatedAt,
        String updatedBy) {
}
