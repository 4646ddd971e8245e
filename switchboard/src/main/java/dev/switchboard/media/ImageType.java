package dev.switchboard.media;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The picture types an agent may send, each known by its declared content type and by the first bytes of the file (its
 * magic number), so that a file is taken only when both agree.
 */
enum ImageType {

    /** JPEG/JFIF/Exif: SOI marker then the start of another marker. */
    JPEG("image/jpeg", new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF }),
    /** PNG's eight-byte signature. */
    PNG("image/png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' }),
    /** GIF87a or GIF89a; the shared "GIF8" is checked here, the version below. */
    GIF("image/gif", new byte[] { 'G', 'I', 'F', '8' });

    /** What the README and refusals list. */
    static final String ACCEPTED = "image/jpeg, image/png or image/gif";

    private final String contentType;
    private final byte[] magic;

    ImageType(String contentType, byte[] magic) {
        this.contentType = contentType;
        this.magic = magic;
    }

    String contentType() {
        return contentType;
    }

    /** The type a {@code Content-Type} header declares (parameters and case ignored), if it is one of ours. */
    static Optional<ImageType> declared(String header) {
        if (header == null) {
            return Optional.empty();
        }
        int semicolon = header.indexOf(';');
        String bare = (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.contentType.equals(bare)).findFirst();
    }

    /** Whether {@code bytes} start as a file of this type does. */
    boolean matches(byte[] bytes) {
        if (bytes.length < magic.length || !Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            return false;
        }
        if (this == GIF) {
            return bytes.length >= 6 && (bytes[4] == '7' || bytes[4] == '9') && bytes[5] == 'a';
        }
        return true;
    }
}
