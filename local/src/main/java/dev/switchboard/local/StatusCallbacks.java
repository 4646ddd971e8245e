package dev.switchboard.local;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.local.SentMessage.CallbackAttempt;

/**
 * Moves each accepted message through its statuses and tells its {@code StatusCallback} about each one, as Twilio does:
 * form-encoded, signed with {@code X-Twilio-Signature}, nothing for {@code queued}. A message's steps run one after the
 * other, retries included, so our callbacks arrive in order; Twilio promises no order, and the switchboard's tests
 * deliver out of order themselves.
 */
final class StatusCallbacks implements AutoCloseable {

    static final String API_VERSION = "2010-04-01";

    /** A status the message reaches, with the error Twilio reports for it, if any. */
    record Step(String status, Integer errorCode, String errorMessage) {
    }

    private static final Step SENT = new Step("sent", null, null);
    private static final Step DELIVERED = new Step("delivered", null, null);
    // Twilio's "failed" means the message never left, so no "sent" comes first; "undelivered" comes after "sent".
    private static final Step FAILED = new Step("failed", 30008, "Unknown error");
    private static final Step UNDELIVERED = new Step("undelivered", 30003, "Unreachable destination handset");

    private final TwilioStandIn.Config config;
    private final MessageStore store;
    private final NumberSet failing;
    private final NumberSet undeliverable;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService httpExecutor;
    private final HttpClient http;

    StatusCallbacks(TwilioStandIn.Config config, MessageStore store, NumberSet failing, NumberSet undeliverable,
            String threadPrefix) {
        this.config = config;
        this.store = store;
        this.failing = failing;
        this.undeliverable = undeliverable;
        this.scheduler = new ScheduledThreadPoolExecutor(config.callbackThreads(), daemon(threadPrefix + "-callbacks"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        // Without an executor of its own the client would use an unbounded cached pool. HTTP/1.1 because Twilio calls
        // with it; left to itself the client would ask plain-HTTP receivers to upgrade to HTTP/2.
        this.httpExecutor = Executors.newFixedThreadPool(2, daemon(threadPrefix + "-callback-http"));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor)
                .connectTimeout(config.callbackTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The statuses a message to this number goes through after {@code queued}. */
    List<Step> plan(String to) {
        if (failing.contains(to)) {
            return List.of(FAILED);
        }
        if (undeliverable.contains(to)) {
            return List.of(SENT, UNDELIVERED);
        }
        return List.of(SENT, DELIVERED);
    }

    /** Starts the message on its way; call it once the 201 has been answered, as Twilio calls back only after. */
    void start(SentMessage message) {
        schedule(() -> step(message.sid(), plan(message.to()), 0), config.statusDelay());
    }

    private void step(String sid, List<Step> steps, int index) {
        Step step = steps.get(index);
        store.update(sid, m -> m.withStatus(step.status(), step.errorCode(), step.errorMessage(), Instant.now()));
        SentMessage message = store.get(sid).orElse(null);
        if (message == null) {
            return;
        }
        Runnable next = index + 1 < steps.size()
                ? () -> schedule(() -> step(sid, steps, index + 1), config.statusDelay())
                : () -> store.update(sid, SentMessage::asSettled);
        if (message.statusCallback() == null) {
            next.run();
        } else {
            deliver(message, step, params(message, step), UUID.randomUUID().toString(), 1, next);
        }
    }

    static Map<String, String> params(SentMessage message, Step step) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", message.accountSid());
        params.put("ApiVersion", API_VERSION);
        if (message.from() != null) {
            params.put("From", message.from());
        }
        params.put("To", message.to());
        if (message.messagingServiceSid() != null) {
            params.put("MessagingServiceSid", message.messagingServiceSid());
        }
        params.put("MessageSid", message.sid());
        params.put("SmsSid", message.sid());
        params.put("MessageStatus", step.status());
        params.put("SmsStatus", step.status());
        if (step.errorCode() != null) {
            params.put("ErrorCode", step.errorCode().toString());
            params.put("ErrorMessage", step.errorMessage());
        }
        return params;
    }

    private void deliver(SentMessage message, Step step, Map<String, String> params, String idempotencyToken,
            int attempt, Runnable next) {
        CallbackAttempt result;
        try {
            result = post(message.statusCallback(), step, params, idempotencyToken, attempt);
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            return;
        }
        store.update(message.sid(), m -> m.withCallback(result));
        if (!result.succeeded() && attempt <= config.callbackRetries()) {
            Duration backoff = config.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 16));
            schedule(() -> deliver(message, step, params, idempotencyToken, attempt + 1, next), backoff);
        } else {
            next.run();
        }
    }

    private CallbackAttempt post(String url, Step step, Map<String, String> params, String idempotencyToken,
            int attempt) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.callbackTimeout())
                    .header("Content-Type", "application/x-www-form-urlencoded").header("User-Agent", "TwilioProxy/1.1")
                    .header("X-Twilio-Signature", TwilioSignature.sign(config.authToken(), url, params))
                    .header("I-Twilio-Idempotency-Token", idempotencyToken)
                    .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new CallbackAttempt(step.status(), attempt, Instant.now(), status,
                    status / 100 == 2 ? null : "HTTP " + status);
        } catch (IOException | IllegalArgumentException e) {
            return new CallbackAttempt(step.status(), attempt, Instant.now(), 0, e.toString());
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // closing: the remaining steps are dropped, as they would be if Twilio's cloud went away
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdownClient();
    }

    /**
     * From JDK 21 the client can stop its selector thread itself; on 17 that thread ends when the client is collected.
     */
    private void shutdownClient() {
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(http);
        } catch (NoSuchMethodException jdk17) {
            // nothing to do: see above
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not stop the callback HTTP client", e);
        }
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
