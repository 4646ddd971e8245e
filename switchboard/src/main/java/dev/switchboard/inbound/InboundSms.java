package dev.switchboard.inbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import dev.switchboard.history.ConversationKey;
import dev.switchboard.web.ApiException;

/**
 * An inbound SMS or MMS as Twilio's webhook describes it, validated.
 *
 * @param messageSid
 *            Twilio's id of the message
 * @param from
 *            the customer's number (E.164)
 * @param to
 *            the business number texted (E.164)
 * @param body
 *            the text, exactly as sent (empty for media-only MMS)
 * @param media
 *            the attachments Twilio offers
 * @param details
 *            further parameters kept with the message
 */
public record InboundSms(String messageSid, String from, String to, String body, List<Media> media,
        Map<String, String> details) {

    /** One attachment: Twilio's URL and the content type it declared. */
    public record Media(int index, String url, String contentType) {
    }

    static final int MAX_MEDIA = 10;
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{2,64}");
    private static final List<String> KEPT = List.of("FromCity", "FromState", "FromZip", "FromCountry", "NumSegments",
            "MessagingServiceSid");

    /**
     * @throws ApiException
     *             400 naming the first thing wrong, 403 when {@code To} is not one of the business numbers
     */
    static InboundSms parse(Map<String, String> params, int maxBodyCharacters, Predicate<String> businessNumber) {
        String sid = params.get("MessageSid");
        if (sid == null || sid.isBlank()) {
            throw ApiException.badRequest("MessageSid is missing");
        }
        if (!SID.matcher(sid).matches()) {
            throw ApiException.badRequest("MessageSid is not a Twilio message id");
        }
        String from = e164(params, "From");
        String to = e164(params, "To");
        if (!businessNumber.test(to)) {
            throw ApiException.forbidden("To " + to + " is not a business number of this switchboard"
                    + " (switchboard.twilio.business-number, .business-numbers)");
        }
        String body = params.getOrDefault("Body", "");
        int characters = body.codePointCount(0, body.length());
        if (characters > maxBodyCharacters) {
            throw ApiException.badRequest(
                    "Body has " + characters + " characters; at most " + maxBodyCharacters + " are accepted");
        }
        int numMedia = numMedia(params.get("NumMedia"));
        List<Media> media = new ArrayList<>(numMedia);
        for (int i = 0; i < numMedia; i++) {
            String url = params.get("MediaUrl" + i);
            if (url == null || url.isBlank()) {
                throw ApiException.badRequest("MediaUrl" + i + " is missing although NumMedia is " + numMedia);
            }
            if (!isHttpUrl(url)) {
                throw ApiException.badRequest("MediaUrl" + i + " is not an http(s) URL");
            }
            media.add(new Media(i, url, params.get("MediaContentType" + i)));
        }
        Map<String, String> details = new LinkedHashMap<>();
        for (String name : KEPT) {
            String value = params.get(name);
            if (value != null && !value.isEmpty()) {
                details.put(name, value);
            }
        }
        return new InboundSms(sid, from, to, body, List.copyOf(media), Map.copyOf(details));
    }

    private static String e164(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name + " is missing");
        }
        if (!ConversationKey.isPhoneNumber(value)) {
            throw ApiException.badRequest(name + " is not an E.164 number like +15551234567");
        }
        return value;
    }

    private static int numMedia(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int count;
        try {
            count = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("NumMedia is not a number");
        }
        if (count < 0 || count > MAX_MEDIA) {
            throw ApiException.badRequest("NumMedia must be between 0 and " + MAX_MEDIA);
        }
        return count;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
