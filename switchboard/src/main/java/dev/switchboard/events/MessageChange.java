package dev.switchboard.events;

import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One confirmed write to the messages table, as the stream reports it. */
public record MessageChange(String eventId, String eventName, String conversation, String messageId,
        Map<String, AttributeValue> newImage, Instant approximateCreation) {
}
