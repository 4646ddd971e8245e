package dev.switchboard.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/** Request parsing and response writing shared by the stand-in's handlers. */
final class StandInHttp {

    static final String JSON = "application/json; charset=utf-8";

    private StandInHttp() {
    }

    /** A request the handler refuses before doing anything; carries the answer to give. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    static byte[] body(HttpExchange exchange, int maxBytes) throws IOException, Refusal {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new Refusal(413, "request body over " + maxBytes + " bytes");
            }
            return bytes;
        }
    }

    /** Decodes an {@code application/x-www-form-urlencoded} body; a name may repeat (Twilio's {@code MediaUrl}). */
    static Map<String, List<String>> form(HttpExchange exchange, int maxBytes) throws IOException, Refusal {
        return decodeForm(new String(body(exchange, maxBytes), StandardCharsets.UTF_8));
    }

    /** Decodes a form body already read. */
    static Map<String, List<String>> decodeForm(String body) throws Refusal {
        try {
            return decode(body, false);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "malformed form body: " + e.getMessage());
        }
    }

    /**
     * Decodes a query string. Unlike a form body, a {@code +} stays a plus: {@code ?to=+15551234567} is how people
     * write a phone number in a URL, and a space is never what they meant.
     */
    static Map<String, List<String>> query(URI uri) throws Refusal {
        String raw = uri.getRawQuery();
        try {
            return raw == null ? Map.of() : decode(raw, true);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "malformed query: " + e.getMessage());
        }
    }

    private static Map<String, List<String>> decode(String encoded, boolean plusIsPlus) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (plusIsPlus) {
                name = name.replace("+", "%2B");
                value = value.replace("+", "%2B");
            }
            params.computeIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static String firstNonBlank(Map<String, List<String>> params, String name) {
        String value = first(params, name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * Whether the request carries HTTP Basic credentials {@code accountSid:authToken}. Compared in constant time, as a
     * habit worth keeping even in a stand-in.
     */
    static boolean authorized(HttpExchange exchange, String accountSid, String authToken) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean user = constantTimeEquals(decoded.substring(0, colon), accountSid);
        boolean password = constantTimeEquals(decoded.substring(colon + 1), authToken);
        return user & password;
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static void twilioError(HttpExchange exchange, TwilioError error) throws IOException {
        if (error.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        }
        send(exchange, error.status(), JSON, error.toJson().getBytes(StandardCharsets.UTF_8));
    }

    static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    static void text(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void noContent(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (head) {
            // HttpServer writes no body for HEAD but still wants to be told there is none.
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }
}
