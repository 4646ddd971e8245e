package dev.switchboard.local;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A set of phone numbers the stand-in treats specially (opted out, failing, undeliverable). Tests and the inspection
 * API change it while messages are being sent, so it is safe to use from any thread.
 */
public final class NumberSet {

    private final String name;
    private final Set<String> numbers = new ConcurrentSkipListSet<>();

    NumberSet(String name, Collection<String> initial) {
        this.name = name;
        initial.forEach(this::add);
    }

    /** What the set is for, as it appears in the inspection API's path. */
    public String name() {
        return name;
    }

    public void add(String number) {
        numbers.add(normalize(number));
    }

    public void remove(String number) {
        numbers.remove(normalize(number));
    }

    public boolean contains(String number) {
        return number != null && numbers.contains(number.strip());
    }

    public void clear() {
        numbers.clear();
    }

    /** The numbers in order, as a copy. */
    public List<String> numbers() {
        return List.copyOf(numbers);
    }

    /**
     * A number that arrives form-encoded by hand ({@code curl -d number=+1555...}) has lost its plus to a space; E.164
     * numbers never start with a space, so put it back.
     */
    static String normalize(String number) {
        if (number == null || number.isBlank()) {
            throw new IllegalArgumentException("a phone number is required");
        }
        String stripped = number.strip();
        if (number.charAt(0) == ' ' && stripped.chars().allMatch(Character::isDigit)) {
            return "+" + stripped;
        }
        return stripped;
    }
}
