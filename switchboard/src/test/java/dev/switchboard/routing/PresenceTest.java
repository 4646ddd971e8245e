package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PresenceTest {

    @Test
    void anAgentItemWithoutOrWithAnUnknownPresenceReadsAsOffline() {
        assertEquals(Presence.Status.OFFLINE, Presence.from(Map.of("agent", AttributeValue.fromS("ann"))).status());
        assertEquals(Presence.Status.OFFLINE, Presence.from(Map.of("agent", AttributeValue.fromS("ann"), "presence",
                AttributeValue.fromS("online"), "load", AttributeValue.fromS("not a number"))).status());
    }

    @Test
    void availableWithRoomReadsAsSuch() {
        Presence presence = Presence
                .from(Map.of("agent", AttributeValue.fromS("ann"), "presence", AttributeValue.fromS("available"),
                        "capacity", AttributeValue.fromN("3"), "load", AttributeValue.fromN("1")));
        assertEquals(Presence.Status.AVAILABLE, presence.status());
        assertEquals(2, presence.free());
    }
}
