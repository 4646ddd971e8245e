package dev.switchboard.history;

import java.util.regex.Pattern;

/**
 * Identifies a conversation: the business number and the customer's number. Its {@link #id()} is the partition key of
 * the conversation's messages.
 */
public record ConversationKey(String business, String customer) {

    private static final String SEPARATOR = "#";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    /** Whether the text is a phone number in E.164 form, such as {@code +15551234567}. */
    public static boolean isPhoneNumber(String text) {
        return text != null && E164.matcher(text).matches();
    }

    public String id() {
        return business + SEPARATOR + customer;
    }

    public static ConversationKey parse(String id) {
        int at = id.indexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException("not a conversation id: " + id);
        }
        return new ConversationKey(id.substring(0, at), id.substring(at + 1));
    }
}
