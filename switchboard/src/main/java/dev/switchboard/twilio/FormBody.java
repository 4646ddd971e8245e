package dev.switchboard.twilio;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.web.ApiException;

/**
 * Parses an {@code application/x-www-form-urlencoded} body into single-valued parameters. Names and values must be
 * UTF-8 once percent-decoded: a malformed sequence is refused rather than stored as U+FFFD, which would change the
 * customer's text and no longer match what Twilio signed.
 */
public final class FormBody {

    private FormBody() {
    }

    /**
     * @throws ApiException
     *             400 on bad encoding, invalid UTF-8 or a repeated parameter (Twilio never repeats one)
     */
    public static Map<String, String> parse(byte[] body) {
        Map<String, String> params = new LinkedHashMap<>();
        // Decoded bytes are never longer than the encoded ones, so one buffer serves every name and value.
        byte[] scratch = new byte[body.length];
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start, body.length);
            if (end > start) {
                int eq = indexOf(body, (byte) '=', start, end);
                String name = decode(body, start, eq, scratch);
                String value = eq == end ? "" : decode(body, eq + 1, end, scratch);
                if (params.putIfAbsent(name, value) != null) {
                    throw ApiException.badRequest("parameter " + name + " appears more than once");
                }
            }
            start = end + 1;
        }
        return params;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return to;
    }

    private static String decode(byte[] body, int from, int to, byte[] scratch) {
        int length = 0;
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                b = ' ';
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw ApiException.badRequest("body is not valid form encoding: incomplete % escape");
                }
                int high = Character.digit(body[i + 1], 16);
                int low = Character.digit(body[i + 2], 16);
                if (high < 0 || low < 0) {
                    throw ApiException.badRequest("body is not valid form encoding: % not followed by two hex digits");
                }
                b = (byte) (high << 4 | low);
                i += 2;
            }
            ascii &= b >= 0;
            scratch[length++] = b;
        }
        if (ascii) {
            return new String(scratch, 0, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(scratch, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("body is not valid UTF-8 once percent-decoded");
        }
    }
}
