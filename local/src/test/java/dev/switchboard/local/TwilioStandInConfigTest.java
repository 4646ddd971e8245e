package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.switchboard.local.TwilioStandIn.Config;

class TwilioStandInConfigTest {

    @Test
    void defaultsAreTheLocalRunsContract() {
        Config config = Config.fromEnv(Map.of());

        assertEquals("127.0.0.1", config.bindAddress());
        assertEquals(8082, config.port());
        assertEquals("AC00000000000000000000000000000000", config.accountSid());
        assertEquals("local-dev-token", config.authToken());
        assertEquals(Duration.ofMillis(100), config.statusDelay());
        assertEquals(Set.of(), config.failingNumbers());
        assertEquals("http://localhost:8080/twilio/messages", config.phone().webhookUrl());
        assertEquals("+15550000000", config.phone().businessNumber());
        assertEquals(null, config.phone().messagingServiceSid());
        assertEquals(5 * 1024 * 1024, config.phone().maxUploadBytes());
    }

    @Test
    void theDevPhoneIsSetByItsOwnVariablesAndTheSwitchboardsBusinessNumber() {
        Config config = Config.fromEnv(Map.of("TWILIO_STANDIN_WEBHOOK_URL", "http://localhost:9080/twilio/messages",
                "SWITCHBOARD_TWILIO_BUSINESS_NUMBER", "+15557770000", "TWILIO_STANDIN_MESSAGING_SERVICE_SID",
                "MG" + "0".repeat(32), "TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES", "1024"));

        assertEquals("http://localhost:9080/twilio/messages", config.phone().webhookUrl());
        assertEquals("+15557770000", config.phone().businessNumber());
        assertEquals("MG" + "0".repeat(32), config.phone().messagingServiceSid());
        assertEquals(1024, config.phone().maxUploadBytes());
        assertThrows(IllegalArgumentException.class,
                () -> Config.fromEnv(Map.of("TWILIO_STANDIN_WEBHOOK_URL", "localhost:8080/twilio/messages")));
        assertThrows(IllegalArgumentException.class,
                () -> Config.fromEnv(Map.of("SWITCHBOARD_TWILIO_BUSINESS_NUMBER", "5550000000")));
        assertThrows(IllegalArgumentException.class,
                () -> Config.fromEnv(Map.of("TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES", "0")));
        assertThrows(IllegalArgumentException.class,
                () -> Config.fromEnv(Map.of("TWILIO_STANDIN_PHONE_MAX_UPLOAD_BYTES", "99999999")));
    }

    @Test
    void environmentVariablesOverrideThem() {
        Config config = Config.fromEnv(Map.of("TWILIO_STANDIN_PORT", "9099", "TWILIO_STANDIN_BIND_ADDRESS", "0.0.0.0",
                "SWITCHBOARD_TWILIO_ACCOUNT_SID", "AC" + "f".repeat(32), "SWITCHBOARD_TWILIO_AUTH_TOKEN", "secret",
                "TWILIO_STANDIN_STATUS_DELAY_MS", "5", "TWILIO_STANDIN_FAILING_NUMBERS", "+15550000001, +15550000002",
                "TWILIO_STANDIN_UNDELIVERABLE_NUMBERS", "+15550000003", "TWILIO_STANDIN_OPTED_OUT_NUMBERS",
                " +15550000004 "));

        assertEquals(9099, config.port());
        assertEquals("0.0.0.0", config.bindAddress());
        assertEquals("AC" + "f".repeat(32), config.accountSid());
        assertEquals("secret", config.authToken());
        assertEquals(Duration.ofMillis(5), config.statusDelay());
        assertEquals(Set.of("+15550000001", "+15550000002"), config.failingNumbers());
        assertEquals(Set.of("+15550000003"), config.undeliverableNumbers());
        assertEquals(Set.of("+15550000004"), config.optedOutNumbers());
    }

    @Test
    void nonsenseIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Config.fromEnv(Map.of("TWILIO_STANDIN_PORT", "eighty")));
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().withPort(70000));
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().withStatusDelay(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().withCredentials("", "token"));
    }

    @Test
    void aPlusLostToFormEncodingIsPutBack() {
        assertEquals("+15551234567", NumberSet.normalize(" 15551234567"));
        assertEquals("+15551234567", NumberSet.normalize("+15551234567 "));
        assertEquals("whatsapp:+15551234567", NumberSet.normalize("whatsapp:+15551234567"));
        assertThrows(IllegalArgumentException.class, () -> NumberSet.normalize(" "));
    }
}
