package dev.switchboard.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578), which is what a browser sends for a form with a file input. Only
 * what the dev phone needs: each part's name, file name, content type and bytes; no nested multiparts.
 */
final class Multipart {

    /**
     * One field or file.
     *
     * @param filename
     *            null for a plain field; empty when a file input was left empty
     * @param contentType
     *            the part's {@code Content-Type}, or null when it gave none
     */
    record Part(String name, String filename, String contentType, byte[] bytes) {

        boolean isFile() {
            return filename != null;
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_PARTS = 64;

    private Multipart() {
    }

    /** Whether a {@code Content-Type} announces a multipart form. */
    static boolean isMultipart(String contentType) {
        return contentType != null && mediaType(contentType).equals("multipart/form-data");
    }

    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException
     *             when the body does not follow the format, saying how
     */
    static List<Part> parse(String contentType, byte[] body) {
        String boundary = parameters(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new IllegalArgumentException("multipart/form-data without a usable boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0 || (at > 0 && indexOf(body, nextDelimiter, 0) != at - 2)) {
            throw new IllegalArgumentException("the body does not start with the boundary");
        }
        List<Part> parts = new ArrayList<>();
        int pos = at + delimiter.length;
        while (true) {
            if (startsWith(body, pos, "--")) {
                return parts;
            }
            // Transport padding (spaces, tabs) may precede the line break after a delimiter.
            while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
                pos++;
            }
            if (!startsWith(body, pos, "\r\n")) {
                throw new IllegalArgumentException("a boundary is not followed by a line break");
            }
            pos += 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            int contentStart;
            String headerText;
            if (startsWith(body, pos, "\r\n")) {
                headerText = "";
                contentStart = pos + 2;
            } else if (headersEnd < 0) {
                throw new IllegalArgumentException("a part's headers do not end");
            } else {
                headerText = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
                contentStart = headersEnd + 4;
            }
            int contentEnd = indexOf(body, nextDelimiter, contentStart);
            if (contentEnd < 0) {
                throw new IllegalArgumentException("the body ends inside a part (no closing boundary)");
            }
            if (parts.size() == MAX_PARTS) {
                throw new IllegalArgumentException("more than " + MAX_PARTS + " parts");
            }
            parts.add(part(headerText, Arrays.copyOfRange(body, contentStart, contentEnd)));
            pos = contentEnd + nextDelimiter.length;
        }
    }

    private static Part part(String headerText, byte[] content) {
        String disposition = null;
        String type = null;
        for (String line : headerText.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed part header: " + line);
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-type")) {
                type = value;
            }
        }
        if (disposition == null || !mediaType(disposition).equals("form-data")) {
            throw new IllegalArgumentException("a part without Content-Disposition: form-data");
        }
        Map<String, String> params = parameters(disposition);
        String name = params.get("name");
        if (name == null) {
            throw new IllegalArgumentException("a part without a name");
        }
        return new Part(name, params.get("filename"), type, content);
    }

    /** The {@code ;name=value} parameters of a header, names lower-cased, quoted values unquoted. */
    static Map<String, String> parameters(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        int pos = header.indexOf(';');
        while (pos >= 0 && pos < header.length()) {
            pos++;
            int eq = header.indexOf('=', pos);
            if (eq < 0) {
                break;
            }
            String name = header.substring(pos, eq).strip().toLowerCase(Locale.ROOT);
            pos = eq + 1;
            while (pos < header.length() && header.charAt(pos) == ' ') {
                pos++;
            }
            StringBuilder value = new StringBuilder();
            if (pos < header.length() && header.charAt(pos) == '"') {
                pos++;
                while (pos < header.length() && header.charAt(pos) != '"') {
                    char c = header.charAt(pos++);
                    if (c == '\\' && pos < header.length()) {
                        c = header.charAt(pos++);
                    }
                    value.append(c);
                }
                pos = header.indexOf(';', pos);
            } else {
                int end = header.indexOf(';', pos);
                value.append(header, pos, end < 0 ? header.length() : end);
                pos = end;
            }
            params.putIfAbsent(name, value.toString().strip());
        }
        return params;
    }

    private static boolean startsWith(byte[] bytes, int at, String ascii) {
        if (at + ascii.length() > bytes.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer: for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
