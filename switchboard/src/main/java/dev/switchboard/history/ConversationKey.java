package dev.switchboard.history;

/**
 * Identifies a conversation: the business number and the customer's number. Its {@link #id()} is the partition key of
 * the conversation's messages.
 */
public record ConversationKey(String business, String customer) {

    private static final String SEPARATOR = "#";

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
