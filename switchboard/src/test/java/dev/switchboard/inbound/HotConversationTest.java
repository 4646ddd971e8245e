package dev.switchboard.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.switchboard.local.TwilioSignature;
import dev.switchboard.testing.History;
import dev.switchboard.testing.LocalServersResource;
import dev.switchboard.testing.Webhooks;

/**
 * One customer texting fast while Twilio delivers every text three times: the webhook writes one item per text and
 * nothing else, so writers of one conversation never collide and no text is answered with a 5xx (which Twilio would not
 * deliver again).
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class HotConversationTest {

    private static final int TEXTS = 150;
    private static final int DELIVERIES = 3;
    private static final int CONCURRENCY = 32;

    @Test
    void aBurstOnOneConversationIsAllAnswered200AndStoredOnce() throws Exception {
        String customer = Webhooks.newCustomer();
        List<Map<String, String>> deliveries = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < TEXTS; i++) {
            Map<String, String> sms = Webhooks.sms(customer, "text " + i);
            sids.add(sms.get("MessageSid"));
            for (int d = 0; d < DELIVERIES; d++) {
                deliveries.add(sms);
            }
        }
        Collections.shuffle(deliveries);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (Map<String, String> sms : deliveries) {
                answers.add(pool.submit(() -> post(http, sms)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertEquals(Collections.nCopies(TEXTS * DELIVERIES, 200), statuses, "every delivery answered 200");
        } finally {
            pool.shutdownNow();
        }

        List<Map<String, Object>> stored = allMessages(customer);
        assertEquals(TEXTS, stored.size(), "every text stored once");
        Set<Object> storedSids = new HashSet<>();
        stored.forEach(m -> storedSids.add(m.get("twilioSid")));
        assertEquals(sids, storedSids);

        JsonPath conversation = History.awaitConversation(customer, "waiting", TEXTS);
        assertEquals(TEXTS, conversation.getInt("messageCount"));
        assertEquals(TEXTS, conversation.getInt("unread"));
        // The newest in history order is the conversation's last message.
        assertEquals(stored.get(0).get("id"), conversation.getString("lastMessageId"));
        assertEquals(stored.get(0).get("body"), conversation.getString("lastMessagePreview"));
    }

    private static int post(HttpClient http, Map<String, String> sms) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(Webhooks.url())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, Webhooks.url(), sms))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(sms))).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Newest first, through the read API's pages. */
    private static List<Map<String, Object>> allMessages(String customer) {
        List<Map<String, Object>> all = new ArrayList<>();
        String before = null;
        do {
            JsonPath page = History.messages(customer, "?limit=100" + (before == null ? "" : "&before=" + before));
            all.addAll(page.getList("messages"));
            before = page.getString("next");
        } while (before != null);
        return all;
    }
}
