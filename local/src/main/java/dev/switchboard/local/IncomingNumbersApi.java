package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;

/**
 * Twilio's IncomingPhoneNumbers resource for the stand-in's one business number, so that a switchboard can register its
 * webhook URLs on the number at start-up as it would on Twilio:
 * <ul>
 * <li>{@code GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json[?PhoneNumber=+1555...]}: a page with the
 * number (or none, for another number).</li>
 * <li>{@code GET|POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{PN...}.json}: read it, or update
 * {@code SmsUrl}, {@code SmsMethod}, {@code SmsFallbackUrl}, {@code SmsFallbackMethod}, {@code StatusCallback},
 * {@code StatusCallbackMethod}, {@code FriendlyName}.</li>
 * </ul>
 * Field names are those of the SDK's {@code IncomingPhoneNumber}.
 */
public final class IncomingNumbersApi {

    private static final Pattern ACCOUNT = Pattern.compile("/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers.*");
    private static final Pattern LIST = Pattern.compile("/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers\\.json");
    private static final Pattern ONE = Pattern
            .compile("/2010-04-01/Accounts/([^/]+)/IncomingPhoneNumbers/([^/]+)\\.json");
    private static final List<String> URL_FIELDS = List.of("SmsUrl", "SmsFallbackUrl", "StatusCallback");
    private static final List<String> METHODS = List.of("GET", "POST");

    /** The number as the stand-in keeps it; empty strings for URLs never set. */
    public record IncomingNumber(String sid, String phoneNumber, String friendlyName, String smsUrl, String smsMethod,
            String smsFallbackUrl, String smsFallbackMethod, String statusCallback, String statusCallbackMethod,
            Instant dateCreated, Instant dateUpdated) {
    }

    private final TwilioStandIn.Config config;
    private volatile IncomingNumber number;

    IncomingNumbersApi(TwilioStandIn.Config config, String businessNumber) {
        this.config = config;
        Instant now = Instant.now();
        this.number = new IncomingNumber(TwilioStandIn.sid("PN"), businessNumber, businessNumber, "", "POST", "",
                "POST", "", "POST", now, now);
    }

    static boolean handles(String path) {
        return ACCOUNT.matcher(path).matches();
    }

    IncomingNumber current() {
        return number;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Matcher account = ACCOUNT.matcher(path);
        if (!account.matches() || !StandInHttp.authorized(exchange, config.accountSid(), config.authToken())
                || !account.group(1).equals(config.accountSid())) {
            StandInHttp.twilioError(exchange, TwilioError.authentication());
            return;
        }
        String method = exchange.getRequestMethod();
        Matcher one;
        try {
            if (LIST.matcher(path).matches()) {
                if (!"GET".equals(method)) {
                    StandInHttp.twilioError(exchange, TwilioError.methodNotAllowed(method));
                    return;
                }
                String wanted = StandInHttp.first(StandInHttp.query(exchange.getRequestURI()), "PhoneNumber");
                IncomingNumber current = number;
                boolean match = wanted == null || wanted.equals(current.phoneNumber());
                StandInHttp.json(exchange, 200, Json.write(page(path, match ? List.of(resource(current)) : List.of())));
            } else if ((one = ONE.matcher(path)).matches() && one.group(2).equals(number.sid())) {
                if ("GET".equals(method)) {
                    StandInHttp.json(exchange, 200, Json.write(resource(number)));
                } else if ("POST".equals(method)) {
                    update(exchange);
                } else {
                    StandInHttp.twilioError(exchange, TwilioError.methodNotAllowed(method));
                }
            } else {
                StandInHttp.twilioError(exchange, TwilioError.notFound(path));
            }
        } catch (StandInHttp.Refusal e) {
            StandInHttp.twilioError(exchange, TwilioError.malformed(e.status, e.getMessage()));
        }
    }

    private void update(HttpExchange exchange) throws IOException, StandInHttp.Refusal {
        Map<String, List<String>> form = StandInHttp.form(exchange, 16 * 1024);
        for (String field : URL_FIELDS) {
            String value = StandInHttp.first(form, field);
            if (value != null && !value.isEmpty() && !isHttpUrl(value)) {
                StandInHttp.twilioError(exchange, TwilioError.malformed(400, field + " is not a valid URL"));
                return;
            }
        }
        for (String field : List.of("SmsMethod", "SmsFallbackMethod", "StatusCallbackMethod")) {
            String value = StandInHttp.first(form, field);
            if (value != null && !METHODS.contains(value.toUpperCase(java.util.Locale.ROOT))) {
                StandInHttp.twilioError(exchange, TwilioError.malformed(400, field + " must be GET or POST"));
                return;
            }
        }
        synchronized (this) {
            IncomingNumber n = number;
            number = new IncomingNumber(n.sid(), n.phoneNumber(), or(form, "FriendlyName", n.friendlyName()),
                    or(form, "SmsUrl", n.smsUrl()), or(form, "SmsMethod", n.smsMethod()).toUpperCase(),
                    or(form, "SmsFallbackUrl", n.smsFallbackUrl()),
                    or(form, "SmsFallbackMethod", n.smsFallbackMethod()).toUpperCase(),
                    or(form, "StatusCallback", n.statusCallback()),
                    or(form, "StatusCallbackMethod", n.statusCallbackMethod()).toUpperCase(), n.dateCreated(),
                    Instant.now());
        }
        System.getLogger(TwilioStandIn.class.getName()).log(System.Logger.Level.INFO,
                "number {0} now texts {1} (fallback {2})", number.phoneNumber(), number.smsUrl(),
                number.smsFallbackUrl().isEmpty() ? "none" : number.smsFallbackUrl());
        StandInHttp.json(exchange, 200, Json.write(resource(number)));
    }

    private static String or(Map<String, List<String>> form, String field, String current) {
        String value = StandInHttp.first(form, field);
        return value == null ? current : value;
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

    private Map<String, Object> page(String path, List<Map<String, Object>> numbers) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("incoming_phone_numbers", numbers);
        json.put("end", Math.max(0, numbers.size() - 1));
        json.put("first_page_uri", path + "?PageSize=50&Page=0");
        json.put("next_page_uri", null);
        json.put("page", 0);
        json.put("page_size", 50);
        json.put("previous_page_uri", null);
        json.put("start", 0);
        json.put("uri", path + "?PageSize=50&Page=0");
        return json;
    }

    private Map<String, Object> resource(IncomingNumber n) {
        String uri = "/2010-04-01/Accounts/" + config.accountSid() + "/IncomingPhoneNumbers/" + n.sid() + ".json";
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("account_sid", config.accountSid());
        json.put("address_requirements", "none");
        json.put("api_version", StatusCallbacks.API_VERSION);
        json.put("beta", false);
        json.put("capabilities", Map.of("voice", false, "sms", true, "mms", true, "fax", false));
        json.put("date_created", MessagesApi.rfc2822(n.dateCreated()));
        json.put("date_updated", MessagesApi.rfc2822(n.dateUpdated()));
        json.put("friendly_name", n.friendlyName());
        json.put("origin", "twilio");
        json.put("phone_number", n.phoneNumber());
        json.put("sid", n.sid());
        json.put("sms_application_sid", "");
        json.put("sms_fallback_method", n.smsFallbackMethod());
        json.put("sms_fallback_url", n.smsFallbackUrl());
        json.put("sms_method", n.smsMethod());
        json.put("sms_url", n.smsUrl());
        json.put("status_callback", n.statusCallback());
        json.put("status_callback_method", n.statusCallbackMethod());
        json.put("status", "in-use");
        json.put("uri", uri);
        return json;
    }
}
