package dev.switchboard.canned;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.web.ApiException;

/** What a canned reply may hold. */
public final class CannedRules {

    static final Pattern SHORTCUT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** An SMS reply is at most 1,600 characters (Twilio's limit); so is a canned one. */
    static final int MAX_TEXT_CHARACTERS = 1600;
    static final Set<String> PLACEHOLDERS = Set.of("customer.name", "agent.name");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    /** A reply to create or replace, as an admin sends it. */
    public record Draft(String shortcut, String text) {
    }

    private CannedRules() {
    }

    /** @return the draft, shortcut trimmed; or 400 naming the first rule broken */
    static Draft check(Draft draft) {
        if (draft == null) {
            throw ApiException.badRequest("a JSON body {shortcut, text} is required");
        }
        String shortcut = draft.shortcut() == null ? "" : draft.shortcut().trim();
        if (shortcut.startsWith("/")) {
            shortcut = shortcut.substring(1);
        }
        if (!SHORTCUT.matcher(shortcut).matches()) {
            throw ApiException.badRequest(
                    "shortcut must be 1 to 32 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        String text = draft.text();
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("text is required");
        }
        // Counted as the switchboard counts a reply: in code points.
        if (text.codePointCount(0, text.length()) > MAX_TEXT_CHARACTERS) {
            throw ApiException.badRequest("text must be at most " + MAX_TEXT_CHARACTERS + " characters");
        }
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            if (!PLACEHOLDERS.contains(placeholder.group(1))) {
                throw ApiException.badRequest("unknown placeholder {{" + placeholder.group(1)
                        + "}}: only {{customer.name}} and {{agent.name}} are filled in");
            }
        }
        return new Draft(shortcut, text);
    }
}
