package dev.switchboard.events;

import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One confirmed write to the messages table, as the stream reports it.
 *
 * @param eventId
 *            the stream's sequence number of the write; the same write re-delivered carries the same id
 * @param eventName
 *            {@code INSERT}, {@code MODIFY} or {@code REMOVE}
 * @param conversation
 *            the message's conversation (partition key)
 * @param messageId
 *            the message's id (sort key)
 * @param newImage
 *            the item after the write; empty for {@code REMOVE}
 * @param approximateCreation
 *            when the write happened, to the second
 */
public record MessageChange(String eventId, String eventName, String conversation, String messageId,
        Map<String, AttributeValue> newImage, Instant approximateCreation) {
}
