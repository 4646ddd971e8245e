package dev.switchboard.local;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The part of Twilio's REST API the switchboard uses, under {@code /2010-04-01/}: create a message, fetch it, and fetch
 * media by Twilio-shaped URLs. Answers carry Twilio's JSON field names and error codes so that Twilio's Java SDK parses
 * them as it parses Twilio's.
 */
final class MessagesApi implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(TwilioStandIn.class.getName());

    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
    private static final Pattern MESSAGE = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)\\.json");
    private static final Pattern MEDIA = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages/([^/]+)/Media/([^/]+)");
    private static final Pattern ACCOUNT = Pattern.compile("/2010-04-01/Accounts/([^/]+)(/.*)?");

    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    static final int MAX_BODY_CHARACTERS = 1600;
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    /**
     * The SDK parses dates with {@code EEE, dd MMM yyyy HH:mm:ss Z} ({@code DateConverter}); two-digit days matter, and
     * {@link DateTimeFormatter#RFC_1123_DATE_TIME} writes one digit for days below 10.
     */
    static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final TwilioStandIn.Config config;
    private final MessageStore store;
    private final StatusCallbacks callbacks;
    private final MediaLibrary media;
    private final NumberSet optedOut;

    MessagesApi(TwilioStandIn.Config config, MessageStore store, StatusCallbacks callbacks, MediaLibrary media,
            NumberSet optedOut) {
        this.config = config;
        this.store = store;
        this.callbacks = callbacks;
        this.media = media;
        this.optedOut = optedOut;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Matcher account = ACCOUNT.matcher(path);
        // Twilio refuses before it looks at the path further: a wrong account is an authentication error, not a 404.
        if (!account.matches() || !StandInHttp.authorized(exchange, config.accountSid(), config.authToken())
                || !account.group(1).equals(config.accountSid())) {
            StandInHttp.twilioError(exchange, TwilioError.authentication());
            return;
        }
        String method = exchange.getRequestMethod();
        Matcher matcher;
        if ((matcher = MESSAGES.matcher(path)).matches()) {
            if ("POST".equals(method)) {
                create(exchange);
            } else {
                StandInHttp.twilioError(exchange, TwilioError.methodNotAllowed(method));
            }
        } else if ((matcher = MESSAGE.matcher(path)).matches()) {
            Optional<SentMessage> message = store.get(matcher.group(2));
            if (!"GET".equals(method)) {
                StandInHttp.twilioError(exchange, TwilioError.methodNotAllowed(method));
            } else if (message.isEmpty()) {
                StandInHttp.twilioError(exchange, TwilioError.notFound(path));
            } else {
                StandInHttp.json(exchange, 200, Json.write(resource(message.get())));
            }
        } else if ((matcher = MEDIA.matcher(path)).matches()) {
            Optional<MediaLibrary.Media> file = media.find(matcher.group(3));
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                StandInHttp.twilioError(exchange, TwilioError.methodNotAllowed(method));
            } else if (file.isEmpty()) {
                StandInHttp.twilioError(exchange, TwilioError.notFound(path));
            } else {
                media.redirect(exchange, file.get());
            }
        } else {
            StandInHttp.twilioError(exchange, TwilioError.notFound(path));
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        Map<String, List<String>> form;
        try {
            form = StandInHttp.form(exchange, MAX_REQUEST_BYTES);
        } catch (StandInHttp.Refusal e) {
            StandInHttp.twilioError(exchange, TwilioError.malformed(e.status, e.getMessage()));
            return;
        }
        String to = StandInHttp.firstNonBlank(form, "To");
        String from = StandInHttp.firstNonBlank(form, "From");
        String messagingServiceSid = StandInHttp.firstNonBlank(form, "MessagingServiceSid");
        String body = StandInHttp.first(form, "Body");
        List<String> mediaUrls = form.getOrDefault("MediaUrl", List.of()).stream().filter(url -> !url.isBlank())
                .toList();
        String statusCallback = StandInHttp.firstNonBlank(form, "StatusCallback");

        TwilioError error = null;
        if (to == null || !E164.matcher(to).matches()) {
            error = TwilioError.invalidTo(to);
        } else if (from == null && messagingServiceSid == null) {
            error = TwilioError.missingFrom();
        } else if ((body == null || body.isEmpty()) && mediaUrls.isEmpty()) {
            error = TwilioError.missingBody();
        } else if (body != null && body.codePointCount(0, body.length()) > MAX_BODY_CHARACTERS) {
            error = TwilioError.bodyTooLong(MAX_BODY_CHARACTERS);
        } else if (!mediaUrls.stream().allMatch(MessagesApi::isHttpUrl)) {
            error = TwilioError.invalidMediaUrl();
        } else if (statusCallback != null && !isHttpUrl(statusCallback)) {
            error = TwilioError.invalidStatusCallback();
        } else if (optedOut.contains(to)) {
            error = TwilioError.unsubscribed();
        }
        if (error != null) {
            LOG.log(Level.INFO, "refused a message to {0}: {1} {2}", to, Integer.toString(error.code()),
                    error.message());
            StandInHttp.twilioError(exchange, error);
            return;
        }

        SentMessage message = SentMessage.queued(TwilioStandIn.sid("SM"), config.accountSid(), from, to,
                body == null ? "" : body, mediaUrls, messagingServiceSid, statusCallback, SmsSegments.count(body),
                Instant.now());
        store.add(message);
        LOG.log(Level.INFO, "{0} {1} -> {2}: {3}{4}", message.sid(), from == null ? messagingServiceSid : from, to,
                oneLine(message.body()), mediaUrls.isEmpty() ? "" : " " + mediaUrls);
        StandInHttp.json(exchange, 201, Json.write(resource(message)));
        callbacks.start(message);
    }

    /** A body as one short log line: a message is up to 1600 characters and may hold line breaks. */
    static String oneLine(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= 80 ? flat : flat.substring(0, 79) + "…";
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The message as Twilio's Message resource; field names as in the SDK's {@code Message}. */
    Map<String, Object> resource(SentMessage message) {
        String uri = "/2010-04-01/Accounts/" + message.accountSid() + "/Messages/" + message.sid();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("account_sid", message.accountSid());
        json.put("api_version", StatusCallbacks.API_VERSION);
        json.put("body", message.body());
        json.put("date_created", rfc2822(message.dateCreated()));
        json.put("date_sent", message.dateSent() == null ? null : rfc2822(message.dateSent()));
        json.put("date_updated", rfc2822(message.dateUpdated()));
        json.put("direction", "outbound-api");
        json.put("error_code", message.errorCode());
        json.put("error_message", message.errorMessage());
        json.put("from", message.from());
        json.put("messaging_service_sid", message.messagingServiceSid());
        json.put("num_media", Integer.toString(message.mediaUrls().size()));
        json.put("num_segments", Integer.toString(message.numSegments()));
        json.put("price", null);
        json.put("price_unit", "USD");
        json.put("sid", message.sid());
        json.put("status", message.status());
        json.put("subresource_uris", Map.of("media", uri + "/Media.json"));
        json.put("to", message.to());
        json.put("uri", uri + ".json");
        return json;
    }

    static String rfc2822(Instant instant) {
        return RFC_2822.format(instant);
    }
}
