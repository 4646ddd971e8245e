package dev.switchboard.history;

import java.util.Locale;
import java.util.Set;

/**
 * What an inbound message says about the customer's consent, by Twilio's default keywords: the whole message, trimmed,
 * in any case, is the keyword.
 */
public enum Consent {
    /** STOP and its synonyms: no more messages to this customer. */
    OPT_OUT,
    /** START, UNSTOP, YES: messages allowed again. */
    OPT_IN,
    /** HELP: recorded; Twilio answers it on its own. */
    HELP,
    /** Anything else. */
    NONE;

    private static final Set<String> OUT = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
            "OPTOUT");
    private static final Set<String> IN = Set.of("START", "UNSTOP", "YES");

    public static Consent of(String body) {
        String word = body == null ? "" : body.trim().toUpperCase(Locale.ROOT);
        if (OUT.contains(word)) {
            return OPT_OUT;
        }
        if (IN.contains(word)) {
            return OPT_IN;
        }
        return "HELP".equals(word) ? HELP : NONE;
    }
}
