package dev.switchboard.testing;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.RestAssured;
import io.restassured.response.Response;

import dev.switchboard.local.TwilioSignature;

/** Builds and posts webhooks signed exactly as Twilio signs them. */
public final class Webhooks {

    public static final String ACCOUNT = "AC00000000000000000000000000000000";
    public static final String TOKEN = "local-dev-token";
    public static final String BUSINESS = "+15550000000";

    private Webhooks() {
    }

    /** A customer number no other test uses. */
    public static String newCustomer() {
        return "+1555" + (1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000));
    }

    public static String newSid() {
        StringBuilder sid = new StringBuilder("SM");
        for (int i = 0; i < 32; i++) {
            sid.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        return sid.toString();
    }

    public static Map<String, String> sms(String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ToCountry", "US");
        params.put("SmsMessageSid", "ignored");
        params.put("NumMedia", "0");
        params.put("FromCity", "SAN FRANCISCO");
        params.put("Body", body);
        params.put("MessageSid", newSid());
        params.put("AccountSid", ACCOUNT);
        params.put("From", from);
        params.put("To", BUSINESS);
        params.put("NumSegments", "1");
        params.put("ApiVersion", "2010-04-01");
        return params;
    }

    public static String url() {
        return "http://localhost:" + RestAssured.port + "/twilio/messages";
    }

    /** Posts the parameters signed for the URL actually called. */
    public static Response post(Map<String, String> params) {
        return postSigned(params, TwilioSignature.sign(TOKEN, url(), params));
    }

    public static Response postSigned(Map<String, String> params, String signature) {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", signature).body(TwilioSignature.formBody(params))
                .post("/twilio/messages");
    }
}
