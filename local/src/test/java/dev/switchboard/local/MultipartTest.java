package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MultipartTest {

    private static final String BOUNDARY = "----WebKitFormBoundaryx8Yq3ZbTcY1nEw0L";
    private static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    /** Laid out as Chromium lays out a form with a text field, a chosen file and a file input left empty. */
    private static byte[] chromiumBody(byte[] picture) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\n" //
                + "Content-Disposition: form-data; name=\"from\"\r\n\r\n" //
                + "+15551234567\r\n" //
                + "--" + BOUNDARY + "\r\n" //
                + "Content-Disposition: form-data; name=\"body\"\r\n\r\n" //
                + "line one\r\nline two — ünïcode\r\n" //
                + "--" + BOUNDARY + "\r\n" //
                + "Content-Disposition: form-data; name=\"media\"; filename=\"sun rise.png\"\r\n" //
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(picture);
        out.writeBytes(("\r\n--" + BOUNDARY + "\r\n" //
                + "Content-Disposition: form-data; name=\"extra\"; filename=\"\"\r\n" //
                + "Content-Type: application/octet-stream\r\n\r\n" //
                + "\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void readsFieldsAndFilesAsBrowsersSendThem() {
        // Bytes that look like framing must not end the part early.
        byte[] picture = ("\u0089PNG\r\n--" + BOUNDARY.substring(0, 10) + "\r\n\r\n\0\1\2")
                .getBytes(StandardCharsets.ISO_8859_1);

        List<Multipart.Part> parts = Multipart.parse(TYPE, chromiumBody(picture));

        assertEquals(4, parts.size());
        assertEquals("from", parts.get(0).name());
        assertNull(parts.get(0).filename());
        assertEquals("+15551234567", parts.get(0).text());
        assertEquals("line one\r\nline two — ünïcode", parts.get(1).text());
        assertEquals("sun rise.png", parts.get(2).filename());
        assertEquals("image/png", parts.get(2).contentType());
        assertArrayEquals(picture, parts.get(2).bytes());
        assertTrue(parts.get(3).isFile());
        assertEquals("", parts.get(3).filename());
        assertEquals(0, parts.get(3).bytes().length);
    }

    @Test
    void aQuotedBoundaryAndAPreambleAreFine() {
        byte[] body = ("preamble\r\n--abc\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--abc--")
                .getBytes(StandardCharsets.US_ASCII);

        List<Multipart.Part> parts = Multipart.parse("Multipart/Form-Data; boundary=\"abc\"", body);

        assertEquals(1, parts.size());
        assertEquals("1", parts.get(0).text());
    }

    @Test
    void refusesBrokenBodies() {
        for (String bad : List.of("no boundary at all", //
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nnever closed", //
                "--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nno name\r\n--" + BOUNDARY + "--", //
                "--" + BOUNDARY + "\r\nbroken header line\r\n\r\nx\r\n--" + BOUNDARY + "--")) {
            assertThrows(IllegalArgumentException.class,
                    () -> Multipart.parse(TYPE, bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Multipart.parse("multipart/form-data", chromiumBody(new byte[1])));
    }
}
