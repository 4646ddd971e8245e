package dev.switchboard.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.web.ApiException;

/** Parses an {@code application/x-www-form-urlencoded} body into single-valued parameters. */
public final class FormBody {

    private FormBody() {
    }

    /**
     * @throws ApiException
     *             400 on bad encoding or a repeated parameter (Twilio never repeats one)
     */
    public static Map<String, String> parse(byte[] body) {
        Map<String, String> params = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return params;
        }
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.putIfAbsent(name, value) != null) {
                throw ApiException.badRequest("parameter " + name + " appears more than once");
            }
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("body is not valid form encoding: " + e.getMessage());
        }
    }
}
