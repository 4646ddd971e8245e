package dev.switchboard.twilio;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import com.twilio.converter.CurrencyDeserializer;
import com.twilio.converter.RFC2822Deserializer;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.RestException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Sends SMS with Twilio's SDK: the only bean that calls Twilio's REST API. Timeouts and retries live here.
 * <p>
 * The SDK reads Twilio's answers (a message, or an error) with Jackson through annotated private constructors and
 * deserializers named in annotations; a native image sees none of that unless registered here.
 */
@RegisterForReflection(targets = { Message.class, RestException.class, CurrencyDeserializer.class,
        RFC2822Deserializer.class }, ignoreNested = false)
@ApplicationScoped
public class TwilioSender {

    private static final Logger LOG = Logger.getLogger(TwilioSender.class);

    /** What Twilio said when it took the message. */
    public record Accepted(String sid, String status) {
    }

    /** Twilio refused the message; retrying will not help. */
    public static class Refused extends RuntimeException {
        private final Integer code;

        public Refused(Integer code, String message) {
            super(message);
            this.code = code;
        }

        public Integer code() {
            return code;
        }
    }

    /** Twilio could not be reached or answered 5xx/429; worth retrying. */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final TwilioRestClient client;
    private final Optional<URI> callbackBase;

    TwilioSender(TwilioConfig config) {
        TwilioRestClient.Builder builder = new TwilioRestClient.Builder(config.accountSid(), config.authToken());
        config.apiBaseUrl().ifPresent(base -> builder.httpClient(new StandInHttpClient(base)));
        this.client = builder.build();
        this.callbackBase = config.callbackBaseUrl().or(config::publicBaseUrl);
        if (callbackBase.isEmpty()) {
            LOG.warn("neither switchboard.twilio.callback-base-url nor public-base-url is set: replies will be sent"
                    + " without delivery-status callbacks");
        }
    }

    /**
     * Sends an SMS, or an MMS when {@code mediaUrls} are given (URLs Twilio fetches the files from; the body may then
     * be empty).
     */
    @Timeout(20_000)
    @Retry(maxRetries = 3, delay = 500, jitter = 200, retryOn = Unavailable.class)
    public Accepted send(String from, String to, String body, List<URI> mediaUrls) {
        MessageCreator creator = body == null || body.isEmpty()
                ? Message.creator(new PhoneNumber(to), new PhoneNumber(from), mediaUrls)
                : Message.creator(new PhoneNumber(to), new PhoneNumber(from), body);
        if (!mediaUrls.isEmpty() && body != null && !body.isEmpty()) {
            creator.setMediaUrl(mediaUrls);
        }
        callbackBase.ifPresent(base -> creator.setStatusCallback(URI.create(trim(base) + "/twilio/status")));
        try {
            Message message = creator.create(client);
            return new Accepted(message.getSid(),
                    message.getStatus() == null ? "queued" : message.getStatus().toString());
        } catch (ApiConnectionException e) {
            throw new Unavailable("Twilio unreachable: " + e.getMessage(), e);
        } catch (ApiException e) {
            Integer status = e.getStatusCode();
            if (status != null && (status >= 500 || status == 429)) {
                throw new Unavailable("Twilio answered " + status + ": " + e.getMessage(), e);
            }
            throw new Refused(e.getCode(), e.getMessage());
        }
    }

    private static String trim(URI base) {
        String text = base.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
