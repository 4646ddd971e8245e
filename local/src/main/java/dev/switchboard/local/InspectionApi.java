package dev.switchboard.local;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Our own API under {@code /_standin/}, for tests and the dev phone: what was sent, and which numbers misbehave. It is
 * not Twilio's and needs no credentials; the stand-in listens on the loopback interface unless told otherwise. The
 * paths are a contract, listed in {@link TwilioStandIn}.
 */
final class InspectionApi implements HttpHandler {

    private static final String PREFIX = "/_standin/";
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final MessageStore store;
    private final MediaLibrary media;
    private final Map<String, NumberSet> numberSets;
    private final String baseUrl;
    private final DevPhone phone;

    InspectionApi(MessageStore store, MediaLibrary media, List<NumberSet> numberSets, String baseUrl, DevPhone phone) {
        this.store = store;
        this.media = media;
        this.phone = phone;
        this.numberSets = numberSets.stream().collect(Collectors.toUnmodifiableMap(NumberSet::name, set -> set));
        this.baseUrl = baseUrl;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (StandInHttp.Refusal e) {
            StandInHttp.json(exchange, e.status, error(e.status, e.getMessage()));
        }
    }

    private void route(HttpExchange exchange) throws IOException, StandInHttp.Refusal {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        int slash = rest.indexOf('/');
        String collection = slash < 0 ? rest : rest.substring(0, slash);
        String item = slash < 0 ? null : rest.substring(slash + 1);
        if (item != null && item.isEmpty()) {
            item = null;
        }

        if (collection.equals("messages")) {
            messages(exchange, method, item);
        } else if (collection.equals("phone")) {
            phone.handle(exchange, method, item);
        } else if (collection.equals("media")) {
            media(exchange, method, item);
        } else if (numberSets.containsKey(collection)) {
            numbers(exchange, method, numberSets.get(collection), item);
        } else {
            throw new StandInHttp.Refusal(404, "no such path: " + path);
        }
    }

    private void messages(HttpExchange exchange, String method, String sid) throws IOException, StandInHttp.Refusal {
        if (sid != null) {
            requireMethod(method, "GET");
            Optional<SentMessage> message = store.get(sid);
            if (message.isEmpty()) {
                throw new StandInHttp.Refusal(404, "no message " + sid);
            }
            StandInHttp.json(exchange, 200, Json.write(message.get().toInspectionJson()));
        } else if ("GET".equals(method)) {
            String to = StandInHttp.first(StandInHttp.query(exchange.getRequestURI()), "to");
            List<Map<String, Object>> json = store.all().stream()
                    .filter(message -> to == null || message.to().equals(to.strip())).map(SentMessage::toInspectionJson)
                    .toList();
            StandInHttp.json(exchange, 200, Json.write(json));
        } else if ("DELETE".equals(method)) {
            store.clear();
            StandInHttp.noContent(exchange);
        } else {
            throw notAllowed(method);
        }
    }

    private void media(HttpExchange exchange, String method, String name) throws IOException, StandInHttp.Refusal {
        if (name == null) {
            requireMethod(method, "GET");
            StandInHttp.json(exchange, 200,
                    Json.write(media.all().stream().map(file -> MediaLibrary.toJson(file, baseUrl)).toList()));
            return;
        }
        requireMethod(method, "PUT");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] bytes = StandInHttp.body(exchange, MediaLibrary.MAX_BYTES);
        try {
            MediaLibrary.Media added = media.add(name, contentType, bytes);
            StandInHttp.json(exchange, 201, Json.write(MediaLibrary.toJson(added, baseUrl)));
        } catch (IllegalArgumentException e) {
            throw new StandInHttp.Refusal(400, e.getMessage());
        }
    }

    private void numbers(HttpExchange exchange, String method, NumberSet set, String number)
            throws IOException, StandInHttp.Refusal {
        try {
            if (number != null) {
                switch (method) {
                case "PUT" -> set.add(number);
                case "DELETE" -> set.remove(number);
                default -> throw notAllowed(method);
                }
                StandInHttp.noContent(exchange);
                return;
            }
            switch (method) {
            case "GET" -> {
                // answered below
            }
            case "POST" -> {
                List<String> numbers = StandInHttp.form(exchange, MAX_FORM_BYTES).getOrDefault("number", List.of());
                if (numbers.isEmpty()) {
                    throw new StandInHttp.Refusal(400, "give the numbers as form fields 'number'");
                }
                numbers.forEach(set::add);
            }
            case "DELETE" -> {
                set.clear();
                StandInHttp.noContent(exchange);
                return;
            }
            default -> throw notAllowed(method);
            }
            StandInHttp.json(exchange, 200, Json.write(set.numbers()));
        } catch (IllegalArgumentException e) {
            throw new StandInHttp.Refusal(400, e.getMessage());
        }
    }

    private static void requireMethod(String method, String allowed) throws StandInHttp.Refusal {
        if (!allowed.equals(method)) {
            throw notAllowed(method);
        }
    }

    private static StandInHttp.Refusal notAllowed(String method) {
        return new StandInHttp.Refusal(405, "method " + method + " not allowed here");
    }

    static String error(int status, String reason) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status);
        json.put("reason", reason);
        return Json.write(json);
    }
}
