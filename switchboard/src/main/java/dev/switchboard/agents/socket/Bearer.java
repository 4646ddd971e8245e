package dev.switchboard.agents.socket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a WebSocket handshake carries its token: {@code Authorization: Bearer …} from servers, or the
 * {@code access_token} query parameter from browsers, which cannot set headers on a WebSocket.
 */
final class Bearer {

    private Bearer() {
    }

    static Optional<String> token(String authorization, String query) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("access_token=")) {
                    return Optional.of(URLDecoder.decode(pair.substring(13), StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }
}
