package dev.switchboard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Twilio's Messages API, so the switchboard's real Twilio SDK can send "SMS" in tests and in the
 * local run. Port 8082 by default.
 *
 * <h2>Twilio's API (HTTP Basic {@code AccountSid:AuthToken})</h2>
 * <ul>
 * <li>{@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}: {@code To}, {@code From} or
 * {@code MessagingServiceSid}, {@code Body}, {@code MediaUrl} (repeatable), {@code StatusCallback}. 201 with the
 * Message resource, then status callbacks: {@code sent}, {@code delivered}; to a failing number {@code failed} (30008);
 * to an undeliverable one {@code sent}, {@code undelivered} (30003). Errors as Twilio: 401/20003, 400/21211 (To missing
 * or not E.164), 21603 (no From), 21602 (no Body or media), 21617 (over 1600 characters), 21620 (bad MediaUrl), 21609
 * (bad StatusCallback), 21610 (To opted out).</li>
 * <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}.json}: the resource, current status.</li>
 * <li>{@code GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json} and {@code GET|POST
 * .../IncomingPhoneNumbers/{PN...}.json}: the business number, whose {@code SmsUrl}, {@code SmsFallbackUrl} and
 * {@code StatusCallback} a switchboard may register ({@link IncomingNumbersApi}).</li>
 * <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Messages/{any}/Media/{MediaSid or name}} and {@code GET
 * /media/{name}}: 307 to {@code /media-content/{name}?expires=&signature=}, which needs no credentials.
 * {@code sample.png} and {@code sample.jpg} are always there.</li>
 * </ul>
 *
 * <h2>Inspection API (no credentials)</h2>
 * <ul>
 * <li>{@code GET /_standin/messages[?to=+1555...]}: messages, oldest first; {@code GET /_standin/messages/{sid}};
 * {@code DELETE /_standin/messages} forgets them all.</li>
 * <li>{@code /_standin/opt-outs}, {@code /_standin/failing-numbers}, {@code /_standin/undeliverable-numbers}:
 * {@code GET} lists, {@code POST} adds form fields {@code number}, {@code DELETE} empties; {@code PUT} or
 * {@code DELETE} on {@code .../{number}} adds or removes one.</li>
 * <li>{@code GET /_standin/media} lists media; {@code PUT /_standin/media/{name}} adds one (body and
 * {@code Content-Type}).</li>
 * </ul>
 *
 * <h2>Dev phone (no credentials)</h2>
 * <ul>
 * <li>{@code GET /phone}: a page where a person plays a customer texting the business number.</li>
 * <li>{@code POST /_standin/phone/send}: a text from a customer (JSON, multipart or form: {@code from}, {@code body},
 * {@code to}, {@code media}), posted to the switchboard as Twilio's signed inbound-message webhook; answers the
 * {@code messageSid} and the switchboard's HTTP status.</li>
 * <li>{@code GET /_standin/phone/thread?number=+1555...}: what that number sent and was sent, oldest first, with
 * statuses; {@code GET /_standin/phone/media/{name}}: a file's bytes for the page; {@code GET /_standin/phone}: the
 * phone's settings.</li>
 * </ul>
 */
public final class TwilioStandIn implements AutoCloseable {

    public static final int DEFAULT_PORT = 8082;
    public static final String DEFAULT_ACCOUNT_SID = "AC00000000000000000000000000000000";
    public static final String DEFAULT_AUTH_TOKEN = "local-dev-token";

    private static final System.Logger LOG = System.getLogger(TwilioStandIn.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * How the stand-in behaves. Start from {@link #defaults()} (port 8082, the local account) or {@link #forTests()} (a
     * free port, short delays) and change what matters with the {@code with...} methods.
     *
     * @param bindAddress
     *            the interface to listen on; the loopback one unless the stand-in must be reached from elsewhere
     * @param port
     *            0 for a free one
     * @param statusDelay
     *            the wait before each status step (queued to sent, sent to delivered)
     * @param callbackRetries
     *            further tries after a status callback fails (no answer, or not 2xx)
     * @param retryBackoff
     *            the wait before the first retry, doubling after
     * @param callbackTimeout
     *            how long a callback may take; Twilio gives up after 15 s
     * @param failingNumbers
     *            numbers whose messages fail (30008)
     * @param undeliverableNumbers
     *            numbers whose messages are sent but not delivered (30003)
     * @param optedOutNumbers
     *            numbers that texted STOP: sending to them is refused (21610)
     * @param threads
     *            threads answering HTTP requests
     * @param callbackThreads
     *            threads moving messages along and posting their callbacks
     * @param phone
     *            the dev phone's settings: where a customer's texts go
     */
    public record Config(String bindAddress, int port, String accountSid, String authToken, Duration statusDelay,
            int callbackRetries, Duration retryBackoff, Duration callbackTimeout, Set<String> failingNumbers,
            Set<String> undeliverableNumbers, Set<String> optedOutNumbers, int threads, int callbackThreads,
            Phone phone) {

        public Config {
            require(bindAddress != null && !bindAddress.isBlank(), "bindAddress is required");
            require(port >= 0 && port <= 65535, "port must be 0..65535");
            require(accountSid != null && !accountSid.isBlank(), "accountSid is required");
            require(authToken != null && !authToken.isEmpty(), "authToken is required");
            require(!statusDelay.isNegative(), "statusDelay must not be negative");
            require(callbackRetries >= 0, "callbackRetries must not be negative");
            require(!retryBackoff.isNegative(), "retryBackoff must not be negative");
            require(callbackTimeout.toMillis() > 0, "callbackTimeout must be positive");
            require(threads > 0 && callbackThreads > 0, "thread counts must be positive");
            require(phone != null, "phone is required");
            failingNumbers = Set.copyOf(failingNumbers);
            undeliverableNumbers = Set.copyOf(undeliverableNumbers);
            optedOutNumbers = Set.copyOf(optedOutNumbers);
        }

        /** Port 8082 on the loopback interface, the local account, 100 ms between statuses. */
        public static Config defaults() {
            return new Config("127.0.0.1", DEFAULT_PORT, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN,
                    Duration.ofMillis(100), 2, Duration.ofMillis(200), Duration.ofSeconds(15), Set.of(), Set.of(),
                    Set.of(), 4, 2, Phone.defaults());
        }

        /** A free port and short delays, so a test's messages settle in well under a second. */
        public static Config forTests() {
            return defaults().withPort(0).withStatusDelay(Duration.ofMillis(20))
                    .withCallbackRetries(2, Duration.ofMillis(20)).withCallbackTimeout(Duration.ofSeconds(5));
        }

        /**
         * {@link #defaults()} changed by environment variables: {@code TWILIO_STANDIN_PORT},
         * {@code TWILIO_STANDIN_BIND_ADDRESS}, {@code SWITCHBOARD_TWILIO_ACCOUNT_SID},
         * {@code SWITCHBOARD_TWILIO_AUTH_TOKEN}, {@code TWILIO_STANDIN_STATUS_DELAY_MS}, and number lists (comma or
         * space separated) {@code TWILIO_STANDIN_FAILING_NUMBERS}, {@code TWILIO_STANDIN_UNDELIVERABLE_NUMBERS},
         * {@code TWILIO_STANDIN_OPTED_OUT_NUMBERS}; the dev phone's as {@link Phone#fromEnv}.
         */
        public static Config fromEnv(Map<String, String> env) {
            Config config = defaults();
            String port = value(env, "TWILIO_STANDIN_PORT");
            if (port != null) {
                config = config.withPort(parseInt("TWILIO_STANDIN_PORT", port));
            }
            String bind = value(env, "TWILIO_STANDIN_BIND_ADDRESS");
            if (bind != null) {
                config = config.withBindAddress(bind);
            }
            String sid = value(env, "SWITCHBOARD_TWILIO_ACCOUNT_SID");
            String token = value(env, "SWITCHBOARD_TWILIO_AUTH_TOKEN");
            config = config.withCredentials(sid == null ? config.accountSid() : sid,
                    token == null ? config.authToken() : token);
            String delay = value(env, "TWILIO_STANDIN_STATUS_DELAY_MS");
            if (delay != null) {
                config = config.withStatusDelay(Duration.ofMillis(parseInt("TWILIO_STANDIN_STATUS_DELAY_MS", delay)));
            }
            config = config.withPhone(Phone.fromEnv(env));
            return config.withFailingNumbers(numbers(env, "TWILIO_STANDIN_FAILING_NUMBERS"))
                    .withUndeliverableNumbers(numbers(env, "TWILIO_STANDIN_UNDELIVERABLE_NUMBERS"))
                    .withOptedOutNumbers(numbers(env, "TWILIO_STANDIN_OPTED_OUT_NUMBERS"));
        }

        public Config withBindAddress(String newBindAddress) {
            return new Config(newBindAddress, port, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, threads, callbackThreads,
                    phone);
        }

        public Config withPort(int newPort) {
            return new Config(bindAddress, newPort, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, threads, callbackThreads,
                    phone);
        }

        public Config withCredentials(String newAccountSid, String newAuthToken) {
            return new Config(bindAddress, port, newAccountSid, newAuthToken, statusDelay, callbackRetries,
                    retryBackoff, callbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, threads,
                    callbackThreads, phone);
        }

        public Config withStatusDelay(Duration newStatusDelay) {
            return new Config(bindAddress, port, accountSid, authToken, newStatusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, threads, callbackThreads,
                    phone);
        }

        public Config withCallbackRetries(int newCallbackRetries, Duration newRetryBackoff) {
            return new Config(bindAddress, port, accountSid, authToken, statusDelay, newCallbackRetries,
                    newRetryBackoff, callbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, threads,
                    callbackThreads, phone);
        }

        public Config withCallbackTimeout(Duration newCallbackTimeout) {
            return new Config(bindAddress, port, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    newCallbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, threads, callbackThreads,
                    phone);
        }

        public Config withFailingNumbers(Set<String> numbers) {
            return new Config(bindAddress, port, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, numbers, undeliverableNumbers, optedOutNumbers, threads, callbackThreads, phone);
        }

        public Config withUndeliverableNumbers(Set<String> numbers) {
            return new Config(bindAddress, port, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, failingNumbers, numbers, optedOutNumbers, threads, callbackThreads, phone);
        }

        public Config withOptedOutNumbers(Set<String> numbers) {
            return new Config(bindAddress, port, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, failingNumbers, undeliverableNumbers, numbers, threads, callbackThreads, phone);
        }

        public Config withThreads(int newThreads, int newCallbackThreads) {
            return new Config(bindAddress, port, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, newThreads,
                    newCallbackThreads, phone);
        }

        public Config withPhone(Phone newPhone) {
            return new Config(bindAddress, port, accountSid, authToken, statusDelay, callbackRetries, retryBackoff,
                    callbackTimeout, failingNumbers, undeliverableNumbers, optedOutNumbers, threads, callbackThreads,
                    newPhone);
        }

        static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        static String value(Map<String, String> env, String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.strip();
        }

        static int parseInt(String name, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is not a number: " + value, e);
            }
        }

        private static Set<String> numbers(Map<String, String> env, String name) {
            String value = value(env, name);
            return value == null ? Set.of()
                    : Arrays.stream(value.split("[,\\s]+")).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
        }
    }

    /**
     * The dev phone at {@code /phone}, where a person plays a customer: what its texts are posted to and how.
     *
     * @param webhookUrl
     *            the switchboard's inbound-message webhook; the signature covers this URL exactly, as Twilio's covers
     *            the URL configured on the number, so it must be the URL the switchboard sees itself called at
     * @param businessNumber
     *            the number the customer texts ({@code To})
     * @param messagingServiceSid
     *            sent as {@code MessagingServiceSid} when set, as Twilio does for a number in a Messaging Service; null
     *            for none
     * @param maxUploadBytes
     *            cap on the attachments of one text together (413 above); Twilio's cap on an MMS is 5 MB
     */
    public record Phone(String webhookUrl, String businessNumber, String messagingServiceSid, int maxUploadBytes) {

        public static final String DEFAULT_WEBHOOK_URL = "http://localhost:8080/twilio/messages";
        public static final String DEFAULT_BUSINESS_NUMBER = "+15550000000";

        public Phone {
            Config.require(isHttpUrl(webhookUrl), "the dev phone's webhook URL must be an http(s) URL: " + webhookUrl);
            Config.require(businessNumber != null && MessagesApi.E164.matcher(businessNumber).matches(),
                    "the business number must be E.164, like +15550000000: " + businessNumber);
            Config.require(messagingServiceSid == null || messagingServiceSid.matches("MG[0-9a-f]{32}"),
                    "a Messaging Service SID is MG and 32 hex digits: " + messagingServiceSid);
            Config.require(maxUploadBytes > 0 && maxUploadBytes <= MediaLibrary.MAX_BYTES,
                    "the dev phone's upload cap must be 1.." + MediaLibrary.MAX_BYTES + " bytes (Twilio's MMS cap)");
        }

        /** Posts to a switchboard on port 8080, texts {@code +15550000000}, takes up to 5 MB of pictures per text. */
        public static Phone defaults() {
            return new Phone(DEFAULT_WEBHOOK_URL, DEFAULT_BUSINESS_NUMBER, null, MediaLibrary.MAX_BYTES);
        }

        /**
         * {@link #defaults()} changed by {@code TWILIO_STANDIN_WEBHOOK_URL}, {@code SWITCHBOARD_TWILIO_BUSINESS_NUMBER}
         * (the switchboard's own variable, so one setting serves both), {@code TWILIO_STANDIN_MESSAGING_SERVICE_SID}
         * and {@code TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES}.
         */
        public static Phone fromEnv(Map<String, String> env) {
            Phone phone = defaults();
            String url = Config.value(env, "TWILIO_STANDIN_WEBHOOK_URL");
            String business = Config.value(env, "SWITCHBOARD_TWILIO_BUSINESS_NUMBER");
            String service = Config.value(env, "TWILIO_STANDIN_MESSAGING_SERVICE_SID");
            String cap = Config.value(env, "TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES");
            return new Phone(url == null ? phone.webhookUrl() : url,
                    business == null ? phone.businessNumber() : business, service, cap == null ? phone.maxUploadBytes()
                            : Config.parseInt("TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES", cap));
        }

        public Phone withWebhookUrl(String newWebhookUrl) {
            return new Phone(newWebhookUrl, businessNumber, messagingServiceSid, maxUploadBytes);
        }

        public Phone withBusinessNumber(String newBusinessNumber) {
            return new Phone(webhookUrl, newBusinessNumber, messagingServiceSid, maxUploadBytes);
        }

        public Phone withMessagingServiceSid(String newMessagingServiceSid) {
            return new Phone(webhookUrl, businessNumber, newMessagingServiceSid, maxUploadBytes);
        }

        public Phone withMaxUploadBytes(int newMaxUploadBytes) {
            return new Phone(webhookUrl, businessNumber, messagingServiceSid, newMaxUploadBytes);
        }

        private static boolean isHttpUrl(String url) {
            if (url == null) {
                return false;
            }
            try {
                URI uri = new URI(url);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getFragment() == null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }

    private final Config config;
    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final MessageStore store;
    private final MediaLibrary media;
    private final StatusCallbacks callbacks;
    private final NumberSet optedOut;
    private final NumberSet failing;
    private final NumberSet undeliverable;
    private final DevPhone phone;
    private final String url;
    private final IncomingNumbersApi numbers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TwilioStandIn(Config config, HttpServer server, ThreadPoolExecutor executor, MessageStore store,
            MediaLibrary media, StatusCallbacks callbacks, NumberSet optedOut, NumberSet failing,
            NumberSet undeliverable, DevPhone phone, String url) {
        this.config = config;
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.media = media;
        this.callbacks = callbacks;
        this.optedOut = optedOut;
        this.failing = failing;
        this.undeliverable = undeliverable;
        this.phone = phone;
        this.url = url;
        this.numbers = new IncomingNumbersApi(config, config.phone().businessNumber());
    }

    public static TwilioStandIn start(Config config) {
        NumberSet optedOut = new NumberSet("opt-outs", config.optedOutNumbers());
        NumberSet failing = new NumberSet("failing-numbers", config.failingNumbers());
        NumberSet undeliverable = new NumberSet("undeliverable-numbers", config.undeliverableNumbers());
        MessageStore store = new MessageStore();
        MediaLibrary media = new MediaLibrary(config);
        HttpServer server;
        try {
            server = HttpServer
                    .create(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + config.bindAddress() + ":" + config.port()
                    + (config.port() == 0 ? "" : " (is the port in use?)"), e);
        }
        // Named by port, so that a thread dump (or a test) tells two stand-ins apart.
        String threadPrefix = "twilio-standin-" + server.getAddress().getPort();
        // Bounded both ways: a burst beyond the queue is answered on the accepting thread, which slows the sender.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(config.threads(), config.threads(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(256), StatusCallbacks.daemon(threadPrefix + "-http"),
                new ThreadPoolExecutor.CallerRunsPolicy());
        StatusCallbacks callbacks = new StatusCallbacks(config, store, failing, undeliverable, threadPrefix);
        String url = "http://" + host(server.getAddress()) + ":" + server.getAddress().getPort();
        DevPhone phone = new DevPhone(config, store, media, url, threadPrefix);
        TwilioStandIn standIn = new TwilioStandIn(config, server, executor, store, media, callbacks, optedOut, failing,
                undeliverable, phone, url);
        server.setExecutor(executor);
        MessagesApi messages = new MessagesApi(config, store, callbacks, media, optedOut);
        IncomingNumbersApi numbers = standIn.numbers;
        server.createContext("/2010-04-01/", guarded(exchange -> {
            if (IncomingNumbersApi.handles(exchange.getRequestURI().getPath())) {
                numbers.handle(exchange);
            } else {
                messages.handle(exchange);
            }
        }, true));
        server.createContext("/media/", guarded(media::serveMedia, true));
        server.createContext("/media-content/", guarded(media::serveContent, false));
        server.createContext("/_standin/", guarded(
                new InspectionApi(store, media, List.of(optedOut, failing, undeliverable), standIn.url, phone), false));
        server.createContext("/phone", guarded(phone::servePage, false));
        server.createContext("/", guarded(TwilioStandIn::index, false));
        server.start();
        return standIn;
    }

    private static void index(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            StandInHttp.text(exchange, 404, "not found: " + exchange.getRequestURI().getPath());
            return;
        }
        StandInHttp.text(exchange, 200, """
                Twilio stand-in for Switchboard.
                  POST /2010-04-01/Accounts/{AccountSid}/Messages.json   send a message (HTTP Basic auth)
                  GET  /_standin/messages[?to=+1555...]                  what was sent
                  GET  /_standin/media                                   media for MMS
                  GET  /phone                                            the dev phone: text as a customer
                  POST /_standin/phone/send                              the same from a script
                  GET  /_standin/phone/thread?number=+1555...            a customer's texts and replies""");
    }

    /** A handler that answers 500 rather than dropping the connection when it fails. */
    private static HttpHandler guarded(HttpHandler handler, boolean twilioShaped) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (Exception e) {
                LOG.log(Level.WARNING,
                        "failed to answer " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
                try {
                    if (twilioShaped) {
                        StandInHttp.twilioError(exchange, TwilioError.internal(e.toString()));
                    } else {
                        StandInHttp.json(exchange, 500, InspectionApi.error(500, e.toString()));
                    }
                } catch (IOException | RuntimeException answered) {
                    // the response had already begun: nothing more can be said on this exchange
                }
            } finally {
                exchange.close();
            }
        };
    }

    private static String host(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
    }

    /** A Twilio-style id: two letters and 32 lowercase hex digits. */
    static String sid(String prefix) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8082}; give it to the switchboard as Twilio's API address. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The business number as Twilio's IncomingPhoneNumbers API last left it: the URLs a switchboard registered on it at
     * start-up, if any.
     */
    public IncomingNumbersApi.IncomingNumber number() {
        return numbers.current();
    }

    public Config config() {
        return config;
    }

    /** Every accepted message, oldest first. */
    public List<SentMessage> messages() {
        return store.all();
    }

    /** The accepted messages to one number, oldest first. */
    public List<SentMessage> messagesTo(String to) {
        return store.all().stream().filter(message -> message.to().equals(to)).toList();
    }

    /** Forgets every message; status steps still under way for them are dropped. */
    public void clearMessages() {
        store.clear();
    }

    /**
     * Waits until at least {@code count} messages have been accepted.
     *
     * @return all messages, oldest first
     *
     * @throws AssertionError
     *             if they do not arrive in time
     */
    public List<SentMessage> awaitMessages(int count, Duration timeout) {
        return store.await(all -> all.size() >= count, all -> all, timeout, count + " message(s)");
    }

    /**
     * Waits until a message has reached its final status and every callback about it has been tried.
     *
     * @throws AssertionError
     *             if it does not settle in time
     */
    public SentMessage awaitSettled(String sid, Duration timeout) {
        return store.await(all -> find(all, sid) != null && find(all, sid).settled(), all -> find(all, sid), timeout,
                sid + " to settle");
    }

    /**
     * Waits until a message has reached a status ({@code sent}, {@code delivered}...), even if it has moved on since.
     *
     * @throws AssertionError
     *             if it does not get there in time
     */
    public SentMessage awaitStatus(String sid, String status, Duration timeout) {
        return store.await(
                all -> find(all, sid) != null
                        && find(all, sid).statusHistory().stream().anyMatch(change -> change.status().equals(status)),
                all -> find(all, sid), timeout, sid + " to be " + status);
    }

    private static SentMessage find(List<SentMessage> all, String sid) {
        return all.stream().filter(message -> message.sid().equals(sid)).findFirst().orElse(null);
    }

    /** Numbers that opted out: sending to them is refused with 21610. */
    public NumberSet optedOut() {
        return optedOut;
    }

    /** Numbers whose messages fail: {@code failed}, 30008. */
    public NumberSet failing() {
        return failing;
    }

    /** Numbers whose messages are sent but not delivered: {@code undelivered}, 30003. */
    public NumberSet undeliverable() {
        return undeliverable;
    }

    /**
     * Adds (or replaces) a media file.
     *
     * @return its URL, {@code /media/{name}}, which wants the account's credentials like Twilio's media URLs
     */
    public String addMedia(String name, String contentType, byte[] bytes) {
        media.add(name, contentType, bytes);
        return mediaUrl(name);
    }

    /** The URL of a media file, {@code sample.png} and {@code sample.jpg} included. */
    public String mediaUrl(String name) {
        if (media.find(name).isEmpty()) {
            throw new IllegalArgumentException("no media named " + name);
        }
        return url + "/media/" + name;
    }

    /** Stops answering and drops the status steps still under way; waits for its threads to end. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        callbacks.close();
        phone.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the stand-in on its own, by default on port 8082 with the local account; see {@link Config#fromEnv}. */
    public static void main(String[] args) throws InterruptedException {
        oneLineLogs();
        TwilioStandIn standIn;
        try {
            standIn = start(Config.fromEnv(System.getenv()));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            standIn.close();
            stopped.countDown();
        }, "twilio-standin-stop"));
        System.out.println(standIn.describe());
        System.out.println("Ctrl-C stops it.");
        stopped.await();
    }

    /** What a person needs to use it: where it is, its account, its media. */
    String describe() {
        return "Twilio stand-in on " + url + "\n" //
                + "  account           " + config.accountSid() + " / auth token " + config.authToken() + "\n" //
                + "  send messages     POST " + url + "/2010-04-01/Accounts/" + config.accountSid() + "/Messages.json\n" //
                + "  sent messages     GET " + url + "/_standin/messages\n" //
                + "  sample media      " + mediaUrl("sample.png") + " (needs the account's credentials)\n" //
                + "  dev phone         " + url + "/phone, texts " + config.phone().businessNumber() + " at "
                + config.phone().webhookUrl();
    }

    /**
     * The JDK's log lines take two lines each by default; one is enough in a terminal. Only takes effect before the
     * first log line, so the mains call it first.
     */
    static void oneLineLogs() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        }
    }
}
