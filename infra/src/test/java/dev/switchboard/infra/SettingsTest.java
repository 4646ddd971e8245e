package dev.switchboard.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Context parsing and validation; no synthesis, so these run in milliseconds. */
class SettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Settings settings = Settings.defaults(Map.of());
        assertEquals("prod", settings.envName());
        assertNull(settings.domainName());
        assertFalse(settings.tls());
        assertEquals(new Settings.ServiceSize(512, 1024, 2, 2, 10, 60, 1000), settings.switchboard());
        assertEquals(new Settings.ServiceSize(256, 512, 2, 2, 6, 60, 1000), settings.console());
        assertEquals(1, settings.natGateways());
        assertEquals("cache.t4g.micro", settings.redisNodeType());
        assertEquals(1, settings.redisNodes());
        assertEquals("1.0.0", settings.switchboardImageTag());
        assertEquals("1.0.0", settings.consoleImageTag());
    }

    @Test
    void readsStringsFromTheCommandLineAndNumbersFromCdkJson() {
        Settings settings = Settings.defaults(
                Map.of("switchboardMaxCount", "12", "consoleMaxCount", 8, "consoleImageTag", "9.9.9", "domainName",
                        "sms.example.com", "certificateArn", "arn:aws:acm:us-east-1:111122223333:certificate/abc"));
        assertEquals(12, settings.switchboard().maxCount());
        assertEquals(8, settings.console().maxCount());
        assertEquals("1.0.0", settings.switchboardImageTag());
        assertEquals("9.9.9", settings.consoleImageTag());
        assertTrue(settings.tls());
    }

    @Test
    void blankValuesCountAsUnset() {
        assertNull(Settings.defaults(Map.of("domainName", " ")).domainName());
    }

    @Test
    void rejectsWhatWouldDeployBroken() {
        Map<String, String> broken = Map.of("twilioAccountSid", "ACnot-a-sid", "twilioBusinessNumber", "5550001111",
                "certificateArn", "arn:aws:acm:us-east-1:111122223333:certificate/abc", "switchboardMinCount", "3",
                "natGateways", "3", "envName", "Prod", "switchboardCpu", "lots");
        broken.forEach((key, value) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Settings.defaults(Map.of(key, value)), key);
            assertFalse(e.getMessage().isBlank());
        });
    }

    @Test
    void namesMissingContext() {
        Map<String, Object> context = new HashMap<>(Map.of("twilioBusinessNumber", "+15550001111", "imageTag", "1"));
        IllegalArgumentException sid = assertThrows(IllegalArgumentException.class,
                () -> Settings.fromContext(context::get));
        assertTrue(sid.getMessage().contains("twilioAccountSid"), sid.getMessage());

        context.put("twilioAccountSid", "AC0123456789abcdef0123456789abcdef");
        context.remove("imageTag");
        IllegalArgumentException tag = assertThrows(IllegalArgumentException.class,
                () -> Settings.fromContext(context::get));
        assertTrue(tag.getMessage().contains("imageTag"), tag.getMessage());
    }

    @Test
    void commandLineArgumentsBecomeContext() {
        assertEquals(Map.of("imageTag", "1.2.3", "domainName", "a=b.example.com"),
                SwitchboardApp.argsAsContext(new String[] { "imageTag=1.2.3", "domainName=a=b.example.com" }));
        assertThrows(IllegalArgumentException.class, () -> SwitchboardApp.argsAsContext(new String[] { "oops" }));
    }
}
