package dev.switchboard.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Texts the local switchboard as a customer would: posts an inbound-message webhook signed exactly as Twilio signs it.
 * Usage: {@code SendSms FROM BODY [MEDIA_URL...]}.
 */
public final class SendSms {

    private SendSms() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: send-sms FROM BODY [MEDIA_URL...]   e.g. send-sms +15551234567 'Hello!'");
            System.exit(2);
        }
        String url = LocalRun.env("SWITCHBOARD_URL", "http://localhost:8080") + "/twilio/messages";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        params.put("AccountSid", LocalRun.env("SWITCHBOARD_TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000"));
        params.put("From", args[0]);
        params.put("To", LocalRun.env("SWITCHBOARD_TWILIO_BUSINESS_NUMBER", "+15550000000"));
        params.put("Body", args[1]);
        params.put("NumMedia", Integer.toString(args.length - 2));
        for (int i = 2; i < args.length; i++) {
            params.put("MediaUrl" + (i - 2), args[i]);
        }
        String signature = TwilioSignature.sign(LocalRun.env("SWITCHBOARD_TWILIO_AUTH_TOKEN", "local-dev-token"), url,
                params);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .header("X-Twilio-Signature", signature)
                        .POST(HttpRequest.BodyPublishers.ofString(TwilioSignature.formBody(params))).build(),
                        HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode() + " " + response.body());
        System.out.println("sent " + params.get("MessageSid") + " from " + args[0]);
        System.exit(response.statusCode() == 200 ? 0 : 1);
    }
}
