package dev.switchboard.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.local.TwilioStandIn;

/**
 * The opt-in registration of the webhook URLs on the business number, through Twilio's SDK against the stand-in's
 * IncomingPhoneNumbers API.
 */
class NumberRegistrationTest {

    private static TwilioStandIn standIn;

    @BeforeEach
    void start() {
        standIn = TwilioStandIn.start(TwilioStandIn.Config.forTests());
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    @Test
    void setsSmsUrlFallbackAndStatusCallbackOnTheNumber() {
        assertEquals("", standIn.number().smsUrl(), "positive control: nothing registered yet");
        NumberRegistration registration = new NumberRegistration(twilio(standIn.config().phone().businessNumber()),
                config(Optional.of(URI.create("https://sms.example.com/")), Optional.empty()));
        NumberRegistration.Registered done = registration.register(registration.wanted().orElseThrow());

        assertEquals(URI.create("https://sms.example.com/twilio/messages"), done.smsUrl());
        assertEquals(standIn.number().sid(), done.sid());
        assertEquals("https://sms.example.com/twilio/messages", standIn.number().smsUrl());
        assertEquals("POST", standIn.number().smsMethod());
        // Without a fallback of its own, Twilio's second try goes to the same path (another instance behind an ALB).
        assertEquals("https://sms.example.com/twilio/messages", standIn.number().smsFallbackUrl());
        assertEquals("https://sms.example.com/twilio/status", standIn.number().statusCallback());
    }

    @Test
    void anExplicitFallbackWins() {
        NumberRegistration registration = new NumberRegistration(twilio(standIn.config().phone().businessNumber()),
                config(Optional.of(URI.create("https://a.example.com")),
                        Optional.of(URI.create("https://b.example.com/twilio/messages"))));
        registration.register(registration.wanted().orElseThrow());
        assertEquals("https://a.example.com/twilio/messages", standIn.number().smsUrl());
        assertEquals("https://b.example.com/twilio/messages", standIn.number().smsFallbackUrl());
    }

    @Test
    void aNumberNotOnTheAccountIsRefusedAndNothingChanges() {
        String before = standIn.number().smsUrl();
        NumberRegistration registration = new NumberRegistration(twilio("+15559999999"),
                config(Optional.of(URI.create("https://elsewhere.example.com")), Optional.empty()));
        NumberRegistration.Refused refused = assertThrows(NumberRegistration.Refused.class,
                () -> registration.register(registration.wanted().orElseThrow()));
        assertTrue(refused.getMessage().contains("+15559999999"), refused.getMessage());
        assertEquals(before, standIn.number().smsUrl());
    }

    @Test
    void withoutABaseUrlNothingIsWanted() {
        NumberRegistration registration = new NumberRegistration(twilio(standIn.config().phone().businessNumber()),
                config(Optional.empty(), Optional.empty()));
        assertTrue(registration.wanted().isEmpty());
    }

    private static NumberRegistration.Account twilio(String businessNumber) {
        TwilioStandIn.Config c = standIn.config();
        return new NumberRegistration.Account(c.accountSid(), c.authToken(), businessNumber,
                Optional.of(URI.create(standIn.url())), Optional.empty());
    }

    private static NumberRegistrationConfig config(Optional<URI> base, Optional<URI> fallback) {
        return new NumberRegistrationConfig() {
            public boolean enabled() {
                return true;
            }

            public Optional<URI> baseUrl() {
                return base;
            }

            public Optional<URI> fallbackUrl() {
                return fallback;
            }
        };
    }
}
