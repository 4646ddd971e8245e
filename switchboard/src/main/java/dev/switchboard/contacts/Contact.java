package dev.switchboard.contacts;

import java.time.Instant;

/**
 * What agents know of a customer.
 *
 * @param customer
 *            E.164 number, the key
 * @param name
 *            how agents see the customer in lists, headers and transfers; null when unknown
 * @param notes
 *            free text for colleagues (never sent to the customer); null when none
 * @param updatedAt
 *            last change; null for a customer nobody described yet
 * @param updatedBy
 *            the agent who made it
 */
public record Contact(String customer, String name, String notes, Instant updatedAt, String updatedBy) {
}
