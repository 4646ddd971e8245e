package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmsSegmentsTest {

    @Test
    void gsm7TextTakes160ThenSplitsBy153() {
        assertEquals(1, SmsSegments.count(null));
        assertEquals(1, SmsSegments.count(""));
        assertEquals(1, SmsSegments.count("a".repeat(160)));
        assertEquals(2, SmsSegments.count("a".repeat(161)));
        assertEquals(2, SmsSegments.count("a".repeat(306)));
        assertEquals(3, SmsSegments.count("a".repeat(307)));
        // é, Ç, ß, Δ are in GSM 03.38, so they cost no more than a letter.
        assertEquals(1, SmsSegments.count("éÇßΔ".repeat(40)));
    }

    @Test
    void extensionCharactersCountTwice() {
        assertEquals(1, SmsSegments.count("€".repeat(80)));
        assertEquals(2, SmsSegments.count("€".repeat(81)));
        assertEquals(2, SmsSegments.count("{}".repeat(40) + "a"));
    }

    @Test
    void anythingOutsideGsm7MakesTheWholeMessageUcs2() {
        // ç is not in GSM 03.38 (only Ç is): one of it turns 100 letters into two parts.
        assertEquals(1, SmsSegments.count("ç".repeat(70)));
        assertEquals(2, SmsSegments.count("ç".repeat(71)));
        assertEquals(2, SmsSegments.count("a".repeat(99) + "ç"));
        // An emoji is two UTF-16 units.
        assertEquals(1, SmsSegments.count("😀".repeat(35)));
        assertEquals(2, SmsSegments.count("😀".repeat(36)));
        assertEquals(3, SmsSegments.count("ç".repeat(135)));
    }
}
