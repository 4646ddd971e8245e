package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.switchboard.local.TwilioSignature;

/**
 * Signed inbound-message webhooks, built before a phase starts so that signing never counts against the switchboard,
 * and sent over one HTTP/1.1 client shared by every load thread.
 */
final class Webhooks {

    static final String ACCOUNT_SID = "AC00000000000000000000000000000000";
    static final String BUSINESS_NUMBER = "+15550000000";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final String authToken;
    private final int customers;
    private final HttpClient client;

    /** One webhook as sent: its form body and its signature, and the message and conversation it stores. */
    record Webhook(String body, String signature, String messageSid, String conversation) {
    }

    Webhooks(URI base, String authToken, int customers) {
        // The signature covers the URL exactly as called; HttpClient sends Host: localhost:PORT from this same URI.
        this.url = URI.create(base + "/twilio/messages");
        this.authToken = authToken;
        this.customers = customers;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    URI url() {
        return url;
    }

    /**
     * Webhooks {@code first .. first+count-1}. Message {@code i} comes from customer {@code i * 7919 mod customers}:
     * every conversation gets several messages over a run, but no two requests in flight at once (fewer apart than
     * there are customers) touch the same conversation.
     */
    List<Webhook> build(long first, int count) {
        List<Webhook> webhooks = new ArrayList<>(count);
        for (long i = first; i < first + count; i++) {
            long customer = Math.floorMod(i * 7919, customers);
            Map<String, String> params = new LinkedHashMap<>();
            String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
            params.put("MessageSid", sid);
            params.put("AccountSid", ACCOUNT_SID);
            params.put("From", customerNumber(customer));
            params.put("To", BUSINESS_NUMBER);
            params.put("Body", body(i));
            params.put("NumMedia", "0");
            webhooks.add(new Webhook(TwilioSignature.formBody(params),
                    TwilioSignature.sign(authToken, url.toString(), params), sid,
                    BUSINESS_NUMBER + "#" + customerNumber(customer)));
        }
        return webhooks;
    }

    /** +1555 and seven digits, never the business number. */
    static String customerNumber(long customer) {
        return "+1555" + (1_000_000 + customer);
    }

    /** A typical customer text, about 110 characters. */
    static String body(long i) {
        return "Hi, my order #" + (100_000 + i % 900_000)
                + " still hasn't arrived and the tracking page shows nothing. Can someone check? Thanks!";
    }

    /** Sends one webhook and returns the HTTP status; a 200 must carry the empty TwiML answer. */
    int send(Webhook webhook) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(url).timeout(TIMEOUT)
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .header("X-Twilio-Signature", webhook.signature())
                        .POST(HttpRequest.BodyPublishers.ofString(webhook.body())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && !response.body().contains("<Response/>")) {
            throw new IllegalStateException("200 without <Response/>: " + response.body());
        }
        return response.statusCode();
    }

    /** Waits until GET /q/health/ready answers 200, failing early if {@code alive} says the server died. */
    void awaitReady(URI base, Duration timeout, BooleanSupplier alive) throws InterruptedException {
        URI ready = URI.create(base + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the switchboard exited during start-up");
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(ready + " was not ready within " + timeout + " (last: " + last + ")");
    }
}
