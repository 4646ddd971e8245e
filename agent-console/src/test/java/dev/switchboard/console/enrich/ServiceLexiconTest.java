package dev.switchboard.console.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The domain layer alone, on texts outside the labelled set: what each group of cues is for. */
class ServiceLexiconTest {

    private static boolean negative(String text) {
        ServiceLexicon.Reading r = ServiceLexicon.read(text);
        return r.decisive() && r.negative() > r.positive();
    }

    private static boolean positive(String text) {
        ServiceLexicon.Reading r = ServiceLexicon.read(text);
        return r.decisive() && r.positive() > r.negative();
    }

    @Test
    void angerInTheFactsIsNegative() {
        assertTrue(negative("The plumber never turned up yesterday"));
        assertTrue(negative("my parcel STILL hasn't come"));
        assertTrue(negative("You charged me twice for one ticket"));
        assertTrue(negative("the screen was cracked when I opened the box"));
        assertTrue(negative("nobody called me back"));
    }

    @Test
    void thanksAndPraiseArePositiveButACourtesyThanksOnARequestIsNot() {
        assertTrue(positive("thx, the new card came this morning"));
        assertTrue(positive("Brilliant work by your team"));
        assertTrue(ServiceLexicon.read("Could you email me the receipt? thanks").none());
        assertTrue(ServiceLexicon.read("pls ring when outside, thanks").none());
    }

    @Test
    void aDeniedPositiveIsNegativeAndADeniedNegativeIsNot() {
        assertTrue(negative("Not happy with the new sofa"));
        assertEquals(0, ServiceLexicon.read("Not happy with the new sofa").positive());
        assertTrue(positive("not bad, works as promised") || !negative("not bad, works as promised"));
    }

    @Test
    void emojiAndEmoticonsCountOncePerKind() {
        assertTrue(negative("\uD83D\uDE21\uD83D\uDE21\uD83D\uDE21"));
        assertEquals(ServiceLexicon.read("\uD83D\uDE21").negative(),
                ServiceLexicon.read("\uD83D\uDE21\uD83D\uDE21").negative());
        assertTrue(positive(":-)"));
        assertTrue(negative("hmm :("));
        assertTrue(positive("\uD83D\uDC4D"));
    }

    @Test
    void shoutingAQuestionAtSupportIsNegativeButAPlainQuestionIsNothing() {
        assertTrue(negative("WHY IS NOBODY ANSWERING??"));
        assertTrue(negative("WHEN WILL IT COME???"));
        assertTrue(ServiceLexicon.read("When will it come?").none());
        // Acronyms and codes are not shouting.
        assertTrue(ServiceLexicon.read("Is my PIN the same as the one for the ATM?").none());
    }

    @Test
    void theCustomersOwnLatenessOrMistakeIsNotAComplaint() {
        assertFalse(negative("Im running late, be there at 5"));
        assertFalse(negative("I picked the wrong colour, can I swap it?"));
        assertTrue(negative("You sent the wrong colour"));
    }
}
