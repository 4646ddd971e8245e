package dev.switchboard.history;

import java.util.List;

/** A page of results and the cursor for the next one ({@code null} on the last page). */
public record Page<T>(List<T> items, String next) {
}
