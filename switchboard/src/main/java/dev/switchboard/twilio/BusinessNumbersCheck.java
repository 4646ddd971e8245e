package dev.switchboard.twilio;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with a business number that is not E.164: a webhook's {@code To} never equals it, so every text to
 * that number would be refused with 403, quietly, until someone noticed.
 */
@ApplicationScoped
class BusinessNumbersCheck {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    void onStart(@Observes @Priority(1) StartupEvent event, TwilioConfig twilio) {
        check("SWITCHBOARD_TWILIO_BUSINESS_NUMBER", List.of(twilio.businessNumber()));
        twilio.businessNumbers().ifPresent(all -> check("SWITCHBOARD_TWILIO_BUSINESS_NUMBERS", all));
    }

    private static void check(String variable, List<String> numbers) {
        for (String number : numbers) {
            if (!E164.matcher(number).matches()) {
                throw new IllegalStateException("business number \"" + number + "\" is not E.164 like +15551234567:"
                        + " set " + variable + " to E.164 numbers (comma-separated for the list)");
            }
        }
    }
}
