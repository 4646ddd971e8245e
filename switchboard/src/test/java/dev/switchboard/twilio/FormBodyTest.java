package dev.switchboard.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.local.TwilioSignature;
import dev.switchboard.web.ApiException;

class FormBodyTest {

    private static Map<String, String> parse(String body) {
        return FormBody.parse(body.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesWhatTwilioEncodesExactly() {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("Body", "Grüße 📦 a+b = c & d%");
        params.put("From", "+15551234567");
        params.put("Empty", "");
        assertEquals(params, FormBody.parse(TwilioSignature.formBody(params).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void plusIsASpaceAndEmptyPairsAndMissingValuesAreTolerated() {
        assertEquals(Map.of("Body", "a b", "Flag", ""), parse("&Body=a+b&&Flag&"));
        assertEquals(Map.of(), parse(""));
    }

    @Test
    void aRepeatedParameterIsRefused() {
        ApiException e = assertThrows(ApiException.class, () -> parse("To=%2B1&To=%2B2"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("To appears more than once"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "Body=%", "Body=%4", "Body=%zz", "Body=abc%2" })
    void aBrokenEscapeIsRefused(String body) {
        ApiException e = assertThrows(ApiException.class, () -> parse(body));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("not valid form encoding"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "Body=%C3%28", "Body=%80", "Body=%C0%AF", "Body=%ED%A0%80", "Body=%F4%90%80%80",
            "Body=caf%C3", "Body=\u00ff", "B%FFdy=x" })
    void invalidUtf8IsRefusedNotReplaced(String body) {
        ApiException e = assertThrows(ApiException.class, () -> parse(body));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void rawUtf8BytesAreAcceptedToo() {
        assertEquals(Map.of("Body", "é"), FormBody.parse("Body=é".getBytes(StandardCharsets.UTF_8)));
    }
}
