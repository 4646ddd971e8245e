package dev.switchboard.twilio;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * Downloads MMS media from Twilio with the account's credentials. Twilio answers a media URL with a redirect to a
 * signed storage URL; credentials go only to an allowed Twilio host and never along a redirect (storage refuses
 * requests that carry two kinds of authentication, and the token must not leak). Every URL, redirects included, passes
 * {@link MediaUrlPolicy} first.
 */
@ApplicationScoped
public class TwilioMedia {

    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final TwilioConfig twilio;
    private final TwilioMediaConfig config;
    private final MediaUrlPolicy policy;

    TwilioMedia(TwilioConfig twilio, TwilioMediaConfig config, MediaUrlPolicy policy) {
        this.twilio = twilio;
        this.config = config;
        this.policy = policy;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.fetchTimeout()).build();
    }

    /**
     * Opens a download, retrying transient failures with exponential backoff.
     *
     * @throws MediaFetchException.Refused
     *             when {@link MediaUrlPolicy} refuses the URL or a redirect
     * @throws MediaFetchException
     *             when the file cannot be had
     */
    @Retry(maxRetries = 4, delay = 500, maxDuration = 60_000, jitter = 200, retryOn = MediaFetchException.class, abortOn = MediaFetchException.Permanent.class)
    @ExponentialBackoff(maxDelay = 10_000)
    public MediaDownload open(URI url) {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            policy.check(current, hop == 0);
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(config.fetchTimeout()).GET();
            // Only the request to Twilio itself carries credentials; the signed URL it redirects to needs none.
            if (hop == 0) {
                request.header("Authorization", basicAuth());
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new MediaFetchException("download failed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MediaFetchException.Permanent("download interrupted");
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                String location = response.headers().firstValue("Location")
                        .orElseThrow(() -> new MediaFetchException("redirect without a Location"));
                close(response.body());
                current = current.resolve(location);
                continue;
            }
            if (status != 200) {
                close(response.body());
                String reason = "media server answered HTTP " + status;
                // Auth and not-found failures do not heal by retrying; 429 and 5xx may.
                if (status == 401 || status == 403 || status == 410) {
                    throw new MediaFetchException.Permanent(reason);
                }
                throw new MediaFetchException(reason);
            }
            String type = response.headers().firstValue("Content-Type").map(TwilioMedia::bareType).orElse(null);
            return new MediaDownload(type, response.headers().firstValueAsLong("Content-Length"), response.body());
        }
        throw new MediaFetchException.Permanent("more than " + MAX_REDIRECTS + " redirects");
    }

    private String basicAuth() {
        String pair = twilio.accountSid() + ":" + twilio.authToken();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String bareType(String header) {
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the response is abandoned either way
        }
    }
}
