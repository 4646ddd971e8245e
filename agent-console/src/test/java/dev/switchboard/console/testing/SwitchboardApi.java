package dev.switchboard.console.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.local.TwilioSignature;

/** What tests do to the switchboard directly: create agents as the admin, text it as customers. */
public final class SwitchboardApi {

    public static final String ACCOUNT = "AC00000000000000000000000000000000";
    public static final String AUTH_TOKEN = "local-dev-token";
    public static final String BUSINESS = "+15550000000";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private SwitchboardApi() {
    }

    private static String url() {
        return StackResource.stack().switchboardUrl();
    }

    public static String login(String agent, String password) {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create(url() + "/auth/login")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("agent", agent, "password", password)))));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login of " + agent + ": " + response.statusCode() + " " + response.body());
        }
        return read(response.body()).path("token").asText();
    }

    /** A new agent with role {@code agent}, named from the prefix; its password is the name + "-password". */
    public static String createAgent(String prefix, String displayName) {
        String name = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        String admin = login("admin", "admin-password");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent", name);
        body.put("password", name + "-password");
        body.put("displayName", displayName);
        body.put("roles", List.of("agent"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/admin/agents"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create agent: " + response.statusCode() + " " + response.body());
        }
        return name;
    }

    public static void disable(String agent) {
        String admin = login("admin", "admin-password");
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create(url() + "/admin/agents/" + agent + "/disable"))
                        .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 204) {
            throw new IllegalStateException("disable: " + response.statusCode() + " " + response.body());
        }
    }

    /** A canned reply written as the admin, through the switchboard's admin API; its id. */
    public static String createCannedReply(String shortcut, String text) {
        String admin = login("admin", "admin-password");
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/admin/canned-replies"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("shortcut", shortcut, "text", text)))));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("canned reply: " + response.statusCode() + " " + response.body());
        }
        return read(response.body()).path("id").asText();
    }

    public static void deleteCannedReply(String id) {
        String admin = login("admin", "admin-password");
        send(HttpRequest.newBuilder(URI.create(url() + "/admin/canned-replies/" + id))
                .header("Authorization", "Bearer " + admin).DELETE());
    }

    /** A customer number no other test uses. */
    public static String newCustomer() {
        return "+1555" + (1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000));
    }

    /** Texts the switchboard as the customer, the webhook signed exactly as Twilio signs it. */
    public static void text(String from, String body, String... mediaUrls) {
        String url = url() + "/twilio/messages";
        Map<String, String> params = new LinkedHashMap<>();
        StringBuilder sid = new StringBuilder("SM");
        for (int i = 0; i < 32; i++) {
            sid.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        params.put("MessageSid", sid.toString());
        params.put("AccountSid", ACCOUNT);
        params.put("From", from);
        params.put("To", BUSINESS);
        params.put("Body", body);
        params.put("NumMedia", Integer.toString(mediaUrls.length));
        for (int i = 0; i < mediaUrls.length; i++) {
            params.put("MediaUrl" + i, mediaUrls[i]);
            params.put("MediaContentType" + i, "image/png");
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", TwilioSignature.sign(AUTH_TOKEN, url, params))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("webhook: " + response.statusCode() + " " + response.body());
        }
    }

    /** The customer's conversation summary as the switchboard keeps it (read as the bootstrap admin), or null. */
    public static JsonNode conversation(String customer, String state) {
        String admin = login("admin", "admin-password");
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create(url() + "/conversations?limit=100&state=" + state))
                        .header("Authorization", "Bearer " + admin).GET());
        for (JsonNode conversation : read(response.body()).path("conversations")) {
            if (customer.equals(conversation.path("customer").asText())) {
                return conversation;
            }
        }
        return null;
    }

    /** What the Twilio stand-in recorded as sent to a number, through its inspection API. */
    public static JsonNode sentTo(String number) {
        String standIn = StackResource.stack().standIn().url();
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(standIn + "/_standin/messages?to="
                + java.net.URLEncoder.encode(number, java.nio.charset.StandardCharsets.UTF_8))).GET());
        return read(response.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(text, e);
        }
    }
}
