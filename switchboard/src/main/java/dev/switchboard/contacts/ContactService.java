package dev.switchboard.contacts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.web.ApiException;

/** Reading and writing contacts, with the checks on what agents send. */
@ApplicationScoped
public class ContactService {

    /** E.164: a plus, then up to 15 digits, the first not 0. */
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    static final int MAX_NAME_CHARACTERS = 100;
    static final int MAX_NOTES_CHARACTERS = 2000;

    /** What an agent sends: both fields replace what was there; empty or absent clears one. */
    public record ContactUpdate(String name, String notes) {
    }

    private final ContactStore store;

    ContactService(ContactStore store) {
        this.store = store;
    }

    /** The contact; one with no name and no notes for a customer nobody described yet. */
    public Contact find(String customer) {
        check(customer);
        return store.find(customer).orElse(new Contact(customer, null, null, null, null));
    }

    Contact put(String customer, ContactUpdate update, String agent) {
        check(customer);
        if (update == null) {
            throw ApiException.badRequest("a JSON body {name, notes} is required");
        }
        String name = blankToNull(update.name());
        String notes = blankToNull(update.notes());
        if (name != null && (name.length() > MAX_NAME_CHARACTERS || name.chars().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest("name must be at most " + MAX_NAME_CHARACTERS
                    + " characters on one line, without control characters");
        }
        if (notes != null && notes.length() > MAX_NOTES_CHARACTERS) {
            throw ApiException.badRequest("notes must be at most " + MAX_NOTES_CHARACTERS + " characters");
        }
        Contact contact = new Contact(customer, name, notes, Instant.now().truncatedTo(ChronoUnit.MILLIS), agent);
        store.put(contact);
        return contact;
    }

    private static void check(String customer) {
        if (customer == null || !E164.matcher(customer).matches()) {
            throw ApiException.badRequest("customer must be an E.164 number, e.g. +15551234567");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
