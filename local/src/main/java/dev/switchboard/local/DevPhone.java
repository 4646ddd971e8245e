package dev.switchboard.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * The dev phone: a page at {@code /phone} where a person plays a customer, and the API under {@code /_standin/phone/}
 * behind it. A text is posted to the switchboard as Twilio posts an inbound message (same parameters,
 * {@code X-Twilio-Signature} with the account's auth token); an attached picture becomes stand-in media whose
 * {@code /media/{name}} URL wants the account's credentials, as Twilio's media URLs do. The thread of a number is what
 * it texted plus what the switchboard sent it through the Messages API.
 */
final class DevPhone {

    /** A file the customer attaches. */
    record Upload(String filename, String contentType, byte[] bytes) {
    }

    /** One attachment of a text, as the thread shows it. */
    record Attachment(String name, String url, String contentType, int size) {
    }

    /**
     * A text the customer sent and what became of it.
     *
     * @param switchboardStatus
     *            the webhook's HTTP status, 0 when the switchboard did not answer
     * @param switchboardBody
     *            what it answered (cut short), or why there was no answer
     */
    record Inbound(String sid, String from, String to, String body, List<Attachment> media, Instant at,
            int switchboardStatus, String switchboardBody) {

        boolean accepted() {
            return switchboardStatus / 100 == 2;
        }
    }

    static final String DEFAULT_CUSTOMER = "+15551234567";
    static final int MAX_MEDIA = 10;
    /** Room for the text fields and the multipart framing on top of the attachments themselves. */
    static final int FORM_OVERHEAD_BYTES = 64 * 1024;
    /** How much of an oversized request is read and dropped so its sender still gets the 413. */
    private static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
    private static final int MAX_ANSWER_CHARACTERS = 2000;
    private static final Pattern CONTENT_TYPE = Pattern
            .compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9!#$&^_.+-]+");
    private static final Map<String, String> EXTENSIONS = Map.of("image/png", "png", "image/jpeg", "jpg", "image/gif",
            "gif", "image/webp", "webp", "image/heic", "heic", "image/bmp", "bmp", "video/mp4", "mp4", "audio/mpeg",
            "mp3", "text/vcard", "vcf", "application/pdf", "pdf");
    private static final System.Logger LOG = System.getLogger(TwilioStandIn.class.getName());

    private final TwilioStandIn.Config config;
    private final MessageStore sent;
    private final MediaLibrary media;
    private final String baseUrl;
    private final List<Inbound> inbound = new ArrayList<>();
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final Map<String, byte[]> assets;

    DevPhone(TwilioStandIn.Config config, MessageStore sent, MediaLibrary media, String baseUrl, String threadPrefix) {
        this.config = config;
        this.sent = sent;
        this.media = media;
        this.baseUrl = baseUrl;
        this.httpExecutor = Executors.newFixedThreadPool(2, StatusCallbacks.daemon(threadPrefix + "-phone-http"));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor)
                .connectTimeout(config.callbackTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        this.assets = Map.of("index.html", asset("index.html"), "phone.css", asset("phone.css"), "phone.js",
                asset("phone.js"));
    }

    private static byte[] asset(String name) {
        String resource = "switchboard-local/phone/" + name;
        try (InputStream in = DevPhone.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: build the 'local' module with Maven first");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the page ----

    /** Serves {@code /phone} and its two assets. */
    void servePage(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            StandInHttp.text(exchange, 405, "method not allowed");
            return;
        }
        String asset;
        String type;
        if (path.equals("/phone") || path.equals("/phone/")) {
            asset = "index.html";
            type = "text/html; charset=utf-8";
        } else if (path.equals("/phone/phone.css")) {
            asset = "phone.css";
            type = "text/css; charset=utf-8";
        } else if (path.equals("/phone/phone.js")) {
            asset = "phone.js";
            type = "text/javascript; charset=utf-8";
        } else {
            StandInHttp.text(exchange, 404, "not found: " + path);
            return;
        }
        var headers = exchange.getResponseHeaders();
        // Everything comes from here; pictures of agents' replies may come from wherever the switchboard keeps them.
        headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' http: https: data:; "
                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        StandInHttp.send(exchange, 200, type, assets.get(asset));
    }

    // ---- the API ----

    /** Answers {@code /_standin/phone[/...]}; {@code rest} is what follows {@code phone/}, or null. */
    void handle(HttpExchange exchange, String method, String rest) throws IOException, StandInHttp.Refusal {
        if (rest == null) {
            requireMethod(method, "GET");
            StandInHttp.json(exchange, 200, Json.write(settings()));
        } else if (rest.equals("send")) {
            requireMethod(method, "POST");
            Inbound text = send(readText(exchange));
            Map<String, Object> json = outcome(text);
            if (text.switchboardStatus() == 0) {
                json.put("status", 502);
                json.put("reason", "the switchboard did not answer at " + config.phone().webhookUrl() + ": "
                        + text.switchboardBody());
                StandInHttp.json(exchange, 502, Json.write(json));
            } else {
                StandInHttp.json(exchange, 200, Json.write(json));
            }
        } else if (rest.equals("thread")) {
            requireMethod(method, "GET");
            String number = StandInHttp.first(StandInHttp.query(exchange.getRequestURI()), "number");
            if (number == null || !MessagesApi.E164.matcher(number.strip()).matches()) {
                throw new StandInHttp.Refusal(400, "number must be an E.164 number like +15551234567");
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            StandInHttp.json(exchange, 200, Json.write(thread(number.strip())));
        } else if (rest.startsWith("media/")) {
            requireMethod(method, "GET");
            String name = rest.substring("media/".length());
            Optional<MediaLibrary.Media> file = MediaLibrary.validName(name) ? media.find(name) : Optional.empty();
            if (file.isEmpty()) {
                throw new StandInHttp.Refusal(404, "no media named " + name);
            }
            // Same origin as the page: a picture that is really a script must not run as one.
            exchange.getResponseHeaders().set("Content-Security-Policy", "sandbox; default-src 'none'");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            StandInHttp.send(exchange, 200, file.get().contentType(), file.get().bytes());
        } else {
            throw new StandInHttp.Refusal(404, "no such path: /_standin/phone/" + rest);
        }
    }

    private Map<String, Object> settings() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("businessNumber", config.phone().businessNumber());
        json.put("defaultNumber", DEFAULT_CUSTOMER);
        json.put("webhookUrl", config.phone().webhookUrl());
        json.put("maxUploadBytes", config.phone().maxUploadBytes());
        json.put("maxMedia", MAX_MEDIA);
        json.put("maxBodyCharacters", MessagesApi.MAX_BODY_CHARACTERS);
        return json;
    }

    /** A text as asked for, checked: who sends it, to whom, what it says, what it carries. */
    record Text(String from, String to, String body, List<Upload> uploads, List<String> mediaNames) {
    }

    private Text readText(HttpExchange exchange) throws IOException, StandInHttp.Refusal {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String type = contentType == null ? "" : Multipart.mediaType(contentType);
        int cap = config.phone().maxUploadBytes();
        int limit = cap + FORM_OVERHEAD_BYTES;
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            // Read the rest (within reason) so that the client gets to see the 413 rather than a reset connection.
            byte[] sink = new byte[16 * 1024];
            long drained = 0;
            for (int n = in.read(sink); n >= 0 && drained < MAX_DRAIN_BYTES; n = in.read(sink)) {
                drained += n;
            }
            throw new StandInHttp.Refusal(413, "request over " + limit + " bytes: attachments may take " + cap
                    + " bytes together (TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES)");
        }
        String from;
        String to;
        String body;
        List<Upload> uploads = new ArrayList<>();
        List<String> names = new ArrayList<>();
        switch (type) {
        case "application/json" -> {
            Map<?, ?> json;
            try {
                Object parsed = Json.read(new String(bytes, StandardCharsets.UTF_8));
                if (!(parsed instanceof Map<?, ?> map)) {
                    throw new StandInHttp.Refusal(400, "send a JSON object: {\"from\", \"body\", \"to\"?, \"media\"?}");
                }
                json = map;
            } catch (IllegalArgumentException e) {
                throw new StandInHttp.Refusal(400, e.getMessage());
            }
            from = jsonString(json, "from");
            to = jsonString(json, "to");
            body = jsonString(json, "body");
            Object list = json.get("media");
            if (list instanceof List<?> items) {
                for (Object item : items) {
                    if (!(item instanceof String name)) {
                        throw new StandInHttp.Refusal(400, "media is a list of media names, like [\"sample.png\"]");
                    }
                    names.add(name);
                }
            } else if (list != null) {
                throw new StandInHttp.Refusal(400, "media is a list of media names, like [\"sample.png\"]");
            }
        }
        case "multipart/form-data" -> {
            List<Multipart.Part> parts;
            try {
                parts = Multipart.parse(contentType, bytes);
            } catch (IllegalArgumentException e) {
                throw new StandInHttp.Refusal(400, "malformed multipart body: " + e.getMessage());
            }
            from = field(parts, "from");
            to = field(parts, "to");
            body = field(parts, "body");
            for (Multipart.Part part : parts) {
                if (part.isFile()) {
                    // A file input left empty still sends a part, with no file name and nothing in it.
                    if (!part.filename().isEmpty() || part.bytes().length > 0) {
                        uploads.add(new Upload(part.filename(), part.contentType(), part.bytes()));
                    }
                } else if (part.name().equals("media") && !part.text().isBlank()) {
                    names.add(part.text().strip());
                }
            }
        }
        case "application/x-www-form-urlencoded" -> {
            Map<String, List<String>> form = StandInHttp.decodeForm(new String(bytes, StandardCharsets.UTF_8));
            // A + typed into a form field arrives as a space when the client did not encode it.
            from = plusBack(StandInHttp.first(form, "from"));
            to = plusBack(StandInHttp.first(form, "to"));
            body = StandInHttp.first(form, "body");
            form.getOrDefault("media", List.of()).stream().filter(name -> !name.isBlank()).map(String::strip)
                    .forEach(names::add);
        }
        default -> throw new StandInHttp.Refusal(400,
                "send application/json, multipart/form-data or a form, not " + (type.isEmpty() ? "nothing" : type));
        }
        return check(from, to, body, uploads, names);
    }

    private Text check(String from, String to, String body, List<Upload> uploads, List<String> names)
            throws StandInHttp.Refusal {
        if (from == null || from.isBlank()) {
            throw new StandInHttp.Refusal(400, "from is missing: the customer's number, like +15551234567");
        }
        from = from.strip();
        if (!MessagesApi.E164.matcher(from).matches()) {
            throw new StandInHttp.Refusal(400, "from is not an E.164 number like +15551234567: " + from);
        }
        to = to == null || to.isBlank() ? config.phone().businessNumber() : to.strip();
        if (!MessagesApi.E164.matcher(to).matches()) {
            throw new StandInHttp.Refusal(400, "to is not an E.164 number like +15550000000: " + to);
        }
        body = body == null ? "" : body;
        int characters = body.codePointCount(0, body.length());
        if (characters > MessagesApi.MAX_BODY_CHARACTERS) {
            throw new StandInHttp.Refusal(400, "body has " + characters + " characters; a text carries at most "
                    + MessagesApi.MAX_BODY_CHARACTERS);
        }
        if (uploads.size() + names.size() > MAX_MEDIA) {
            throw new StandInHttp.Refusal(400, "at most " + MAX_MEDIA + " media per text, as Twilio");
        }
        if (body.isEmpty() && uploads.isEmpty() && names.isEmpty()) {
            throw new StandInHttp.Refusal(400, "give a body, media, or both");
        }
        long total = 0;
        for (Upload upload : uploads) {
            if (upload.bytes().length == 0) {
                throw new StandInHttp.Refusal(400, "the file " + upload.filename() + " is empty");
            }
            total += upload.bytes().length;
        }
        for (String name : names) {
            Optional<MediaLibrary.Media> file = MediaLibrary.validName(name) ? media.find(name) : Optional.empty();
            if (file.isEmpty()) {
                throw new StandInHttp.Refusal(400, "no media named " + name + " (see GET /_standin/media)");
            }
            total += file.get().bytes().length;
        }
        if (total > config.phone().maxUploadBytes()) {
            throw new StandInHttp.Refusal(413, "attachments total " + total + " bytes; a text takes at most "
                    + config.phone().maxUploadBytes() + " (TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES)");
        }
        return new Text(from, to, body, uploads, names);
    }

    // ---- sending ----

    /**
     * Posts the text to the switchboard as Twilio would and records it in the thread. Refusals aside (made before),
     * this always records the text, even when the switchboard does not answer: the customer did send it.
     */
    Inbound send(Text text) {
        List<Attachment> attachments = new ArrayList<>();
        // Twilio names an MMS MM..., an SMS SM...
        String sid = TwilioStandIn.sid(text.uploads().isEmpty() && text.mediaNames().isEmpty() ? "SM" : "MM");
        for (Upload upload : text.uploads()) {
            String contentType = contentType(upload);
            String name = sid + "-" + attachments.size() + "." + extension(contentType, upload.filename());
            MediaLibrary.Media stored = media.add(name, contentType, upload.bytes());
            attachments.add(new Attachment(stored.name(), baseUrl + "/media/" + stored.name(), stored.contentType(),
                    stored.bytes().length));
        }
        for (String name : text.mediaNames()) {
            MediaLibrary.Media file = media.find(name).orElseThrow();
            attachments.add(new Attachment(file.name(), baseUrl + "/media/" + file.name(), file.contentType(),
                    file.bytes().length));
        }
        Map<String, String> params = webhookParams(sid, text, attachments);
        String url = config.phone().webhookUrl();
        // When the customer pressed Send, not when the switchboard got round to answering.
        Instant at = Instant.now();
        int status;
        String answer;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.callbackTimeout())
                    .header("Content-Type", "application/x-www-form-urlencoded").header("User-Agent", "TwilioProxy/1.1")
                    .header("X-Twilio-Signature", TwilioSignature.sign(config.authToken(), url, params))
                    .header("I-Twilio-Idempotency-Token", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answer = cut(response.body());
        } catch (IOException | IllegalArgumentException e) {
            status = 0;
            answer = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
            answer = "interrupted";
        }
        Inbound sentText = new Inbound(sid, text.from(), text.to(), text.body(), List.copyOf(attachments), at, status,
                answer);
        synchronized (inbound) {
            inbound.add(sentText);
        }
        LOG.log(Level.INFO, "phone {0} {1} -> {2}: {3}{4} -> switchboard {5}", sid, text.from(), text.to(),
                MessagesApi.oneLine(text.body()), attachments.isEmpty() ? "" : " +" + attachments.size() + " media",
                status == 0 ? "did not answer: " + answer : Integer.toString(status));
        return sentText;
    }

    /** The parameters Twilio posts for an inbound message, in the order it lists them. */
    private Map<String, String> webhookParams(String sid, Text text, List<Attachment> attachments) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ToCountry", country(text.to()));
        params.put("SmsMessageSid", sid);
        params.put("NumMedia", Integer.toString(attachments.size()));
        params.put("SmsSid", sid);
        params.put("SmsStatus", "received");
        params.put("Body", text.body());
        params.put("FromCountry", country(text.from()));
        params.put("To", text.to());
        if (config.phone().messagingServiceSid() != null) {
            params.put("MessagingServiceSid", config.phone().messagingServiceSid());
        }
        params.put("NumSegments", attachments.isEmpty() ? Integer.toString(SmsSegments.count(text.body())) : "1");
        params.put("MessageSid", sid);
        params.put("AccountSid", config.accountSid());
        params.put("From", text.from());
        params.put("ApiVersion", "2010-04-01");
        for (int i = 0; i < attachments.size(); i++) {
            params.put("MediaContentType" + i, attachments.get(i).contentType());
            params.put("MediaUrl" + i, attachments.get(i).url());
        }
        return params;
    }

    /** Twilio fills in the country it knows a number by; the dev phone knows only the North American plan's. */
    private static String country(String number) {
        return number.startsWith("+1") ? "US" : "";
    }

    private static String contentType(Upload upload) {
        String declared = upload.contentType() == null ? "" : Multipart.mediaType(upload.contentType());
        if (declared.isEmpty() || declared.equals("application/octet-stream")) {
            String guessed = upload.filename() == null ? null
                    : URLConnection.guessContentTypeFromName(upload.filename().toLowerCase(Locale.ROOT));
            declared = guessed == null ? "application/octet-stream" : guessed;
        }
        return CONTENT_TYPE.matcher(declared).matches() ? declared : "application/octet-stream";
    }

    private static String extension(String contentType, String filename) {
        String known = EXTENSIONS.get(contentType);
        if (known != null) {
            return known;
        }
        if (filename != null) {
            int dot = filename.lastIndexOf('.');
            String given = dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (given.matches("[a-z0-9]{1,8}")) {
                return given;
            }
        }
        return "bin";
    }

    // ---- the thread ----

    /** Every text between the number and anyone, both ways, oldest first. */
    List<Map<String, Object>> messages(String number) {
        record Entry(Instant at, int order, Map<String, Object> json) {
        }
        List<Entry> entries = new ArrayList<>();
        synchronized (inbound) {
            for (Inbound text : inbound) {
                if (text.from().equals(number)) {
                    entries.add(new Entry(text.at(), entries.size(), inboundJson(text)));
                }
            }
        }
        for (SentMessage message : sent.all()) {
            if (message.to().equals(number)) {
                entries.add(new Entry(message.dateCreated(), entries.size(), outboundJson(message)));
            }
        }
        entries.sort(Comparator.comparing(Entry::at).thenComparing(Entry::order));
        return entries.stream().map(Entry::json).toList();
    }

    private Map<String, Object> thread(String number) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("number", number);
        json.put("businessNumber", config.phone().businessNumber());
        json.put("messages", messages(number));
        return json;
    }

    private static Map<String, Object> inboundJson(Inbound text) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sid", text.sid());
        json.put("direction", "inbound");
        json.put("from", text.from());
        json.put("to", text.to());
        json.put("body", text.body());
        json.put("media", text.media().stream()
                .map(file -> attachmentJson("/_standin/phone/media/" + file.name(), file.contentType())).toList());
        json.put("status", text.accepted() ? "received" : "failed");
        json.put("errorCode", null);
        json.put("errorMessage",
                text.accepted() ? null : text.switchboardStatus() == 0
                        ? "the switchboard did not answer: " + text.switchboardBody()
                        : "the switchboard answered " + text.switchboardStatus() + ": " + text.switchboardBody());
        json.put("switchboardStatus", text.switchboardStatus());
        json.put("at", text.at().toString());
        return json;
    }

    private Map<String, Object> outboundJson(SentMessage message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sid", message.sid());
        json.put("direction", "outbound");
        json.put("from", message.from() == null ? message.messagingServiceSid() : message.from());
        json.put("to", message.to());
        json.put("body", message.body() == null ? "" : message.body());
        String ours = baseUrl + "/media/";
        json.put("media", message.mediaUrls().stream().map(url -> {
            // Our own media URLs want the account's credentials; the page gets the same bytes without.
            if (url.startsWith(ours) && MediaLibrary.validName(url.substring(ours.length()))) {
                String name = url.substring(ours.length());
                return attachmentJson("/_standin/phone/media/" + name,
                        media.find(name).map(MediaLibrary.Media::contentType).orElse(null));
            }
            return attachmentJson(url, null);
        }).toList());
        json.put("status", message.status());
        json.put("errorCode", message.errorCode());
        json.put("errorMessage", message.errorMessage());
        json.put("at", message.dateCreated().toString());
        return json;
    }

    private static Map<String, Object> attachmentJson(String url, String contentType) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("contentType", contentType);
        return json;
    }

    private Map<String, Object> outcome(Inbound text) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("messageSid", text.sid());
        json.put("from", text.from());
        json.put("to", text.to());
        json.put("body", text.body());
        json.put("media", text.media().stream().map(file -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", file.name());
            item.put("url", file.url());
            item.put("contentType", file.contentType());
            item.put("size", file.size());
            return item;
        }).toList());
        json.put("webhookUrl", config.phone().webhookUrl());
        json.put("switchboardStatus", text.switchboardStatus());
        json.put("switchboardBody", text.switchboardBody());
        return json;
    }

    // ---- helpers ----

    private static String jsonString(Map<?, ?> json, String name) throws StandInHttp.Refusal {
        Object value = json.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new StandInHttp.Refusal(400, name + " must be a string");
    }

    private static String field(List<Multipart.Part> parts, String name) {
        return parts.stream().filter(part -> !part.isFile() && part.name().equals(name)).map(Multipart.Part::text)
                .findFirst().orElse(null);
    }

    private static String plusBack(String number) {
        return number != null && number.startsWith(" ") && number.strip().matches("[0-9]+") ? "+" + number.strip()
                : number;
    }

    private static String cut(String text) {
        return text.length() <= MAX_ANSWER_CHARACTERS ? text : text.substring(0, MAX_ANSWER_CHARACTERS) + "…";
    }

    private static void requireMethod(String method, String allowed) throws StandInHttp.Refusal {
        if (!allowed.equals(method)) {
            throw new StandInHttp.Refusal(405, "method " + method + " not allowed here");
        }
    }

    void close() {
        httpExecutor.shutdownNow();
        try {
            // From JDK 21 the client can stop its selector thread itself; on 17 that thread ends when it is collected.
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(http);
        } catch (NoSuchMethodException jdk17) {
            // nothing to do
        } catch (ReflectiveOperationException e) {
            LOG.log(Level.WARNING, "could not stop the dev phone's HTTP client", e);
        }
    }
}
