package dev.switchboard.twilio;

/**
 * A webhook as it arrived, before anything is believed.
 *
 * @param url
 *            the URL Twilio called, as far as this instance can tell
 * @param signature
 *            the {@code X-Twilio-Signature} header, or {@code null}
 * @param body
 *            the raw form body
 */
public record WebhookRequest(String url, String signature, byte[] body) {
}
