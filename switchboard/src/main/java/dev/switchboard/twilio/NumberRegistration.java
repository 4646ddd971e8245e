package dev.switchboard.twilio;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.type.PhoneNumberCapabilities;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Points the business number at this deployment through Twilio's IncomingPhoneNumbers API: finds the number by its
 * E.164 form and sets its SmsUrl, SmsFallbackUrl and StatusCallback (all POST).
 */
@RegisterForReflection(targets = { IncomingPhoneNumber.class, PhoneNumberCapabilities.class }, ignoreNested = false)
@ApplicationScoped
public class NumberRegistration {

    /** What the number was left with. */
    public record Registered(String sid, URI smsUrl, URI smsFallbackUrl, URI statusCallback) {
    }

    /** The number is not on the account, or Twilio refused the update: retrying will not help. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** The account and number to work on, and where Twilio's API is. */
    record Account(String accountSid, String authToken, String businessNumber, Optional<URI> apiBaseUrl,
            Optional<URI> publicBaseUrl) {
    }

    private final TwilioRestClient client;
    private final Account account;
    private final NumberRegistrationConfig config;

    @Inject
    NumberRegistration(TwilioConfig twilio, NumberRegistrationConfig config) {
        this(new Account(twilio.accountSid(), twilio.authToken(), twilio.businessNumber(), twilio.apiBaseUrl(),
                twilio.publicBaseUrl()), config);
    }

    NumberRegistration(Account account, NumberRegistrationConfig config) {
        TwilioRestClient.Builder builder = new TwilioRestClient.Builder(account.accountSid(), account.authToken());
        account.apiBaseUrl().ifPresent(base -> builder.httpClient(new StandInHttpClient(base)));
        this.client = builder.build();
        this.account = account;
        this.config = config;
    }

    /** The URLs this deployment wants on the number, or empty when no base URL is configured. */
    public Optional<Registered> wanted() {
        return config.baseUrl().or(account::publicBaseUrl).map(base -> {
            String root = trim(base);
            URI sms = URI.create(root + "/twilio/messages");
            return new Registered(null, sms, config.fallbackUrl().orElse(sms), URI.create(root + "/twilio/status"));
        });
    }

    /** Sets the URLs on the number; Twilio's errors other than refusals are retried. */
    @Timeout(30_000)
    @Retry(maxRetries = 4, delay = 2000, jitter = 500, abortOn = Refused.class)
    public Registered register(Registered wanted) {
        try {
            List<IncomingPhoneNumber> found = StreamSupport
                    .stream(IncomingPhoneNumber.reader().setPhoneNumber(account.businessNumber()).read(client)
                            .spliterator(), false)
                    .filter(n -> n.getPhoneNumber() != null
                            && account.businessNumber().equals(n.getPhoneNumber().toString()))
                    .toList();
            if (found.isEmpty()) {
                throw new Refused("the business number " + account.businessNumber() + " is not on account "
                        + account.accountSid());
            }
            IncomingPhoneNumber number = IncomingPhoneNumber.updater(found.get(0).getSid()).setSmsUrl(wanted.smsUrl())
                    .setSmsMethod(HttpMethod.POST).setSmsFallbackUrl(wanted.smsFallbackUrl())
                    .setSmsFallbackMethod(HttpMethod.POST).setStatusCallback(wanted.statusCallback())
                    .setStatusCallbackMethod(HttpMethod.POST).update(client);
            return new Registered(number.getSid(), number.getSmsUrl(), number.getSmsFallbackUrl(),
                    number.getStatusCallback());
        } catch (ApiConnectionException e) {
            throw e;
        } catch (ApiException e) {
            if (e.getStatusCode() != null && e.getStatusCode() >= 400 && e.getStatusCode() < 500
                    && e.getStatusCode() != 429) {
                throw new Refused("Twilio refused the number's update: " + e.getMessage());
            }
            throw e;
        }
    }

    private static String trim(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
