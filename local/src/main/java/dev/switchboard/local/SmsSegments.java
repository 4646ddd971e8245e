package dev.switchboard.local;

/**
 * How many SMS segments a body takes, as carriers count them: GSM-7 when every character is in the GSM 03.38 alphabet
 * (160 per message, 153 per part once split, extension characters counting twice), otherwise UCS-2 (70, then 67 per
 * part). Twilio bills and reports {@code num_segments} this way, so agents' long replies show up realistically.
 */
final class SmsSegments {

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    private SmsSegments() {
    }

    static int count(String body) {
        if (body == null || body.isEmpty()) {
            return 1;
        }
        int septets = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets += 1;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return parts(body.length(), 70, 67);
            }
        }
        return parts(septets, 160, 153);
    }

    private static int parts(int units, int single, int perPart) {
        return units <= single ? 1 : (units + perPart - 1) / perPart;
    }
}
