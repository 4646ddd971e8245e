package dev.switchboard.local;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;

/**
 * Media files for MMS, served the way Twilio serves them: the media URL wants the account's HTTP Basic credentials and
 * answers with a redirect to a short-lived signed URL that needs none (Twilio's points at its storage). Code that
 * fetches Twilio media must drop the credentials on that redirect; against the stand-in it gets to prove it does.
 */
final class MediaLibrary {

    /** A media file; {@code sid} is the {@code ME...} id that Twilio-shaped media URLs name it by. */
    record Media(String name, String sid, String contentType, byte[] bytes) {
    }

    static final int MAX_BYTES = 5 * 1024 * 1024;
    static final Duration SIGNED_URL_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final TwilioStandIn.Config config;
    private final Map<String, Media> byName = new ConcurrentHashMap<>();
    private final byte[] signingKey = new byte[32];

    MediaLibrary(TwilioStandIn.Config config) {
        this.config = config;
        new SecureRandom().nextBytes(signingKey);
        Samples.ALL.forEach(sample -> add(sample.name(), sample.contentType(), sample.bytes()));
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Adds or replaces a file; a replaced file keeps its sid, so URLs already handed out stay good. */
    Media add(String name, String contentType, byte[] bytes) {
        if (!validName(name)) {
            throw new IllegalArgumentException("media names are letters, digits, '.', '_' and '-', up to 100: " + name);
        }
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("a content type is required");
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("media over Twilio's " + MAX_BYTES + " bytes: " + name);
        }
        return byName.compute(name, (key, old) -> new Media(name, old == null ? TwilioStandIn.sid("ME") : old.sid(),
                contentType.strip(), bytes.clone()));
    }

    /** Finds a file by name or by its {@code ME...} sid. */
    Optional<Media> find(String nameOrSid) {
        Media byItsName = byName.get(nameOrSid);
        if (byItsName != null) {
            return Optional.of(byItsName);
        }
        return byName.values().stream().filter(media -> media.sid().equals(nameOrSid)).findFirst();
    }

    List<Media> all() {
        return byName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /** Serves {@code /media/{name}}: Twilio's credentials, then the redirect to the signed URL. */
    void serveMedia(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = path.substring("/media/".length());
        String method = exchange.getRequestMethod();
        Optional<Media> media = validName(name) ? find(name) : Optional.empty();
        if (!StandInHttp.authorized(exchange, config.accountSid(), config.authToken())) {
            StandInHttp.twilioError(exchange, TwilioError.authentication());
        } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
            StandInHttp.twilioError(exchange, TwilioError.methodNotAllowed(method));
        } else if (media.isEmpty()) {
            StandInHttp.twilioError(exchange, TwilioError.notFound(path));
        } else {
            redirect(exchange, media.get());
        }
    }

    /** Answers an authenticated media request with the redirect to the file's signed URL. */
    void redirect(HttpExchange exchange, Media media) throws IOException {
        long expires = Instant.now().plus(SIGNED_URL_LIFETIME).getEpochSecond();
        // Relative, so it works whatever host name the client used to reach us.
        String location = "/media-content/" + media.name() + "?expires=" + expires + "&signature="
                + signature(media.name(), expires);
        exchange.getResponseHeaders().set("Location", location);
        StandInHttp.send(exchange, 307, "text/plain; charset=utf-8", new byte[0]);
    }

    /** Serves {@code /media-content/{name}?expires=&signature=}: no credentials, only a valid unexpired signature. */
    void serveContent(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            StandInHttp.text(exchange, 405, "method not allowed");
            return;
        }
        String name = exchange.getRequestURI().getPath().substring("/media-content/".length());
        Map<String, List<String>> query;
        try {
            query = StandInHttp.query(exchange.getRequestURI());
        } catch (StandInHttp.Refusal e) {
            StandInHttp.text(exchange, e.status, e.getMessage());
            return;
        }
        String expires = StandInHttp.first(query, "expires");
        String signature = StandInHttp.first(query, "signature");
        Optional<Media> media = validName(name) ? Optional.ofNullable(byName.get(name)) : Optional.empty();
        if (expires == null || signature == null || !expires.matches("\\d{1,18}")) {
            StandInHttp.text(exchange, 403, "signed URL required");
        } else if (!StandInHttp.constantTimeEquals(signature, signature(name, Long.parseLong(expires)))) {
            StandInHttp.text(exchange, 403, "signature does not match");
        } else if (Instant.now().getEpochSecond() > Long.parseLong(expires)) {
            StandInHttp.text(exchange, 403, "signed URL expired");
        } else if (media.isEmpty()) {
            StandInHttp.text(exchange, 404, "no such media: " + name);
        } else {
            StandInHttp.send(exchange, 200, media.get().contentType(), media.get().bytes());
        }
    }

    private String signature(String name, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            byte[] digest = mac.doFinal((name + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static Map<String, Object> toJson(Media media, String baseUrl) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", media.name());
        json.put("sid", media.sid());
        json.put("contentType", media.contentType());
        json.put("size", media.bytes().length);
        json.put("url", baseUrl + "/media/" + media.name());
        json.put("sha256", sha256(media.bytes()));
        return json;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * Sample pictures for demoing MMS, drawn in code so the repository holds no binaries. Made once per JVM: ImageIO is
     * slow to warm up.
     */
    static final class Samples {
        record Sample(String name, String contentType, byte[] bytes) {
        }

        static final List<Sample> ALL = List.of(new Sample("sample.png", "image/png", draw("png")),
                new Sample("sample.jpg", "image/jpeg", draw("jpg")));

        private Samples() {
        }

        /** A sunrise: a sky gradient, a sun, and a horizon; enough to see at a glance that an image arrived. */
        private static byte[] draw(String format) {
            int size = 96;
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int rgb;
                    double dx = x - 48;
                    double dy = y - 60;
                    if (y >= 64) {
                        rgb = 0x2e7d32; // ground
                    } else if (dx * dx + dy * dy <= 18 * 18) {
                        rgb = 0xffb300; // sun
                    } else {
                        int blue = 255 - y;
                        int red = 80 + y * 2;
                        rgb = (red << 16) | (120 << 8) | blue;
                    }
                    image.setRGB(x, y, rgb);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                if (!ImageIO.write(image, format, out)) {
                    throw new IllegalStateException("no ImageIO writer for " + format);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
