package dev.switchboard.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.DynamoDbLocal;
import dev.switchboard.local.LocalAws;
import dev.switchboard.local.TwilioSignature;
import dev.switchboard.local.TwilioStandIn;
import dev.switchboard.testing.AgentClient;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.Webhooks;

/**
 * kill -9 of a packaged switchboard while it is handing a reply to Twilio and while it is fetching an MMS's media.
 * "Twilio" and the media host here take the requests and never answer, so the instance is killed exactly inside both
 * calls. After a restart the reply is shown {@code failed/unknown_outcome} (Twilio may have it) and is not sent again;
 * the media is fetched by the new instance once the dead one's claim ran out.
 */
class CrashRecoveryIT {

    private static final Path LOGS = Path.of("target", "local-servers");
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration FIRST = Duration.ofSeconds(150);

    private static LocalAws aws;
    private static DynamoDbLocal dynamo;
    private static TwilioStandIn standIn;
    private static HttpServer hanging;
    private static final AtomicInteger twilioCalls = new AtomicInteger();
    private static final AtomicInteger mediaCalls = new AtomicInteger();
    private static volatile boolean mediaAnswers;
    private static final CountDownLatch released = new CountDownLatch(1);
    private static ChildJvm one;
    private static ChildJvm two;

    @BeforeAll
    static void start() throws IOException {
        aws = LocalAws.shared(LOGS);
        dynamo = DynamoDbLocal.start(ChildJvm.freePort(), Optional.empty(), LOGS);
        standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests());
        hanging = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hanging.setExecutor(Executors.newCachedThreadPool());
        hanging.createContext("/2010-04-01/", exchange -> {
            twilioCalls.incrementAndGet();
            hang(exchange);
        });
        hanging.createContext("/media/", exchange -> {
            mediaCalls.incrementAndGet();
            if (!mediaAnswers) {
                hang(exchange);
                return;
            }
            byte[] png = { (byte) 0x89, 'P', 'N', 'G', 9, 9 };
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        hanging.start();
    }

    private static void hang(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        try {
            released.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    @AfterAll
    static void stop() {
        released.countDown();
        for (ChildJvm jvm : new ChildJvm[] { one, two }) {
            if (jvm != null) {
                jvm.close();
            }
        }
        hanging.stop(0);
        standIn.close();
        dynamo.close();
    }

    @Test
    void killedWhileSendingAndFetchingThenRestarted() throws Exception {
        String hangingUrl = "http://127.0.0.1:" + hanging.getAddress().getPort();
        int port = ChildJvm.freePort();
        one = startSwitchboard("crash-one", port, hangingUrl);
        String url = "http://localhost:" + port;
        String admin = login(url, "admin", "admin-password");
        String ann = createAgent(url, admin);
        AgentClient socket = AgentClient.connect(url, ann, login(url, ann, ann + "-password"));
        socket.available(3);
        socket.await("presence", f -> "available".equals(f.get("presence")), Duration.ofSeconds(10));

        String customer = Webhooks.newCustomer();
        assertEquals(200, post(url, Webhooks.sms(customer, "is anyone there?")));
        socket.await("assigned", f -> customer.equals(f.get("customer")), FIRST);
        String conversation = Webhooks.BUSINESS + "#" + customer;
        socket.send(Map.of("type", "response", "conversation", conversation, "body", "Yes! Checking now.", "clientId",
                "crash-reply-1"));
        Map<String, Object> update = socket.await("update",
                f -> "Yes! Checking now.".equals(((Map<?, ?>) f.get("message")).get("body")), Duration.ofSeconds(20));
        String replyId = (String) ((Map<?, ?>) update.get("message")).get("id");
        Map<String, String> mms = Webhooks.sms(customer, "here is a photo");
        mms.put("NumMedia", "1");
        mms.put("MediaUrl0", hangingUrl + "/media/photo.png");
        mms.put("MediaContentType0", "image/png");
        assertEquals(200, post(url, mms));

        // Both calls are under way, and will never be answered: kill -9 now.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> twilioCalls.get() >= 1 && mediaCalls.get() >= 1);
        socket.close();
        ProcessHandle.of(one.pid()).orElseThrow().destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !one.isAlive());

        mediaAnswers = true;
        int otherPort = ChildJvm.freePort();
        two = startSwitchboard("crash-two", otherPort, standIn.url());
        String other = "http://localhost:" + otherPort;
        String adminTwo = login(other, "admin", "admin-password");

        // The reply may have reached Twilio: failed/unknown_outcome, never sent again.
        Awaitility.await().atMost(FIRST).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<?, ?> reply = message(other, adminTwo, customer, replyId);
            return reply != null && "failed".equals(reply.get("status"));
        });
        assertEquals("unknown_outcome", message(other, adminTwo, customer, replyId).get("reason"));
        // The media is fetched again by the new instance once the dead one's claim ran out.
        String photoId = mms.get("MessageSid");
        Awaitility.await().atMost(FIRST).pollInterval(Duration.ofMillis(500))
                .until(() -> "stored".equals(mediaState(other, adminTwo, customer, photoId)));
        assertTrue(mediaCalls.get() >= 2, "fetched again after the crash");
        // Positive control of "not sent again": the only Twilio call is the one the dead instance made.
        assertEquals(1, twilioCalls.get());
        assertEquals(List.of(), standIn.messagesTo(customer));
    }

    private static Map<?, ?> message(String base, String token, String customer, String id) throws Exception {
        List<?> messages = (List<?>) JSON
                .readValue(get(base + "/conversations/" + customer + "/messages?limit=100", token), Map.class)
                .get("messages");
        return messages.stream().map(m -> (Map<?, ?>) m).filter(m -> id.equals(m.get("id"))).findFirst().orElse(null);
    }

    private static String mediaState(String base, String token, String customer, String id) throws Exception {
        Map<?, ?> message = message(base, token, customer, id);
        return message == null ? null : (String) ((Map<?, ?>) ((List<?>) message.get("media")).get(0)).get("state");
    }

    private static ChildJvm startSwitchboard(String name, int port, String twilioUrl) throws Exception {
        Map<String, String> env = new HashMap<>(TestKeys.env());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamo.endpoint());
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", aws.s3().endpoint());
        env.put("SWITCHBOARD_TWILIO_API_BASE_URL", twilioUrl);
        env.put("SWITCHBOARD_TWILIO_CALLBACK_BASE_URL", "http://localhost:" + port);
        // The media host is a local server: MediaUrlPolicy fetches from it only when it is listed by host and port.
        String mediaHost = "127.0.0.1:" + hanging.getAddress().getPort();
        env.put("SWITCHBOARD_MEDIA_ALLOWED_HOSTS", mediaHost);
        env.put("SWITCHBOARD_MEDIA_FETCH_PRIVATE_HOSTS", mediaHost);
        // Short leases, so that the dead instance's claims run out within the test.
        env.put("SWITCHBOARD_OUTBOUND_CLAIM_LEASE", "5s");
        env.put("SWITCHBOARD_MEDIA_CLAIM_LEASE", "5s");
        ChildJvm jvm = ChildJvm.start(name, List.of("-Dquarkus.profile=test", "-Xmx384m", "-jar", JAR.toString()),
                List.of(), env, LOGS, false);
        URI ready = URI.create("http://localhost:" + port + "/q/health/ready");
        Awaitility.await(name + " ready; see " + jvm.log()).atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    assertTrue(jvm.isAlive(), name + " died; see " + jvm.log());
                    return HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                });
        return jvm;
    }

    private static int post(String base, Map<String, String> params) throws Exception {
        String url = base + "/twilio/messages";
        return HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", TwilioSignature.sign(Webhooks.TOKEN, url, params))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params), StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String login(String base, String agent, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers
                        .ofString(JSON.writeValueAsString(Map.of("agent", agent, "password", password))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return (String) JSON.readValue(response.body(), Map.class).get("token");
    }

    private static String createAgent(String base, String adminToken) throws Exception {
        String name = "ann-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Map<String, Object> body = Map.of("agent", name, "password", name + "-password", "displayName", "Ann", "roles",
                List.of("agent"));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/admin/agents")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return name;
    }

    private static String get(String url, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
