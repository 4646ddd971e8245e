package dev.switchboard.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import dev.switchboard.history.Message;

/** The dispatcher keeps each conversation's records in order while different conversations run side by side. */
class ChangeDispatcherTest {

    @Test
    void eachConversationsRecordsReachEveryListenerInOrder() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        MessageChangeListener routing = listener(100, change -> seen.add("routing " + change.messageId()));
        MessageChangeListener projection = listener(MessageChangeListener.PROJECTION,
                change -> seen.add("projection " + change.messageId()));
        ChangeDispatcher dispatcher = new ChangeDispatcher(() -> List.of(routing, projection),
                new SimpleMeterRegistry(), 4);
        try {
            dispatcher.dispatch(List.of(record("+15550001", "a1"), record("+15550002", "b1"), record("+15550001", "a2"),
                    record("+15550003", "c1"), record("+15550001", "a3"), record("+15550002", "b2")));
        } finally {
            dispatcher.stop();
        }

        // dispatch returned only once every record was handled, so the batch may be checkpointed. Within a
        // conversation, the projection has applied all its records before routing reads the first.
        assertEquals(12, seen.size());
        assertEquals(
                List.of("projection a1", "projection a2", "projection a3", "routing a1", "routing a2", "routing a3"),
                seen.stream().filter(s -> s.contains(" a")).toList());
        assertEquals(List.of("projection b1", "projection b2", "routing b1", "routing b2"),
                seen.stream().filter(s -> s.contains(" b")).toList());
    }

    @Test
    void aBatchListenerGetsEachConversationsRecordsInOneCallThenTheBatchsEnd() {
        List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        MessageBatchListener batch = new MessageBatchListener() {
            @Override
            public void onMessageChanges(List<MessageChange> changes) {
                calls.add(changes.stream().map(MessageChange::messageId).toList());
            }

            @Override
            public void afterBatch() {
                calls.add(List.of("end of batch"));
            }
        };
        ChangeDispatcher dispatcher = new ChangeDispatcher(() -> List.of(batch), new SimpleMeterRegistry(), 4);
        try {
            dispatcher.dispatch(List.of(record("+15550001", "a1"), record("+15550002", "b1"), record("+15550001", "a2"),
                    record("+15550001", "a3")));
        } finally {
            dispatcher.stop();
        }

        assertEquals(3, calls.size(), "one call per conversation, then the batch's end: " + calls);
        assertTrue(calls.contains(List.of("a1", "a2", "a3")), "a's records together, in order: " + calls);
        assertTrue(calls.contains(List.of("b1")), calls.toString());
        assertEquals(List.of("end of batch"), calls.get(2), "the batch's end comes after every conversation");
    }

    @Test
    void aSlowConversationDoesNotHoldBackTheOthers() throws InterruptedException {
        assertTrue(slowFirstConversationSawTheSecond(4));
    }

    @Test
    void withParallelismOneTheBatchRunsOneRecordAfterAnother() throws InterruptedException {
        // Positive control for the test above: here the second conversation waits behind the first.
        assertFalse(slowFirstConversationSawTheSecond(1));
    }

    /**
     * The first conversation's listener waits (up to a bound) for the second conversation's record to be handled;
     * answers whether it was, while the first still waited.
     */
    private static boolean slowFirstConversationSawTheSecond(int parallelism) throws InterruptedException {
        CountDownLatch secondHandled = new CountDownLatch(1);
        AtomicBoolean sawSecond = new AtomicBoolean();
        MessageChangeListener listener = listener(100, change -> {
            if (change.conversation().equals("+15550001")) {
                try {
                    sawSecond.set(secondHandled.await(parallelism == 1 ? 300 : 10_000, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                secondHandled.countDown();
            }
        });
        ChangeDispatcher dispatcher = new ChangeDispatcher(() -> List.of(listener), new SimpleMeterRegistry(),
                parallelism);
        try {
            dispatcher.dispatch(List.of(record("+15550001", "a1"), record("+15550002", "b1")));
        } finally {
            dispatcher.stop();
        }
        assertEquals(0, secondHandled.getCount());
        return sawSecond.get();
    }

    private static Record record(String conversation, String id) {
        return Record.builder().eventName("INSERT")
                .dynamodb(
                        StreamRecord
                                .builder().sequenceNumber(id).keys(Map.of(Message.CONVERSATION,
                                        AttributeValue.fromS(conversation), Message.ID, AttributeValue.fromS(id)))
                                .build())
                .build();
    }

    private static MessageChangeListener listener(int order, java.util.function.Consumer<MessageChange> body) {
        return new MessageChangeListener() {
            @Override
            public void onMessageChange(MessageChange change) {
                body.accept(change);
            }

            @Override
            public int order() {
                return order;
            }
        };
    }
}
