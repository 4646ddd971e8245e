package dev.switchboard.console.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, cheaply and before any parsing, whether a text is worth giving to the English sentiment model.
 *
 * <p>
 * The model only knows English; on other languages it returns confident nonsense, so such texts are kept out. The
 * heuristic, in order: no letters at all (blank, emoji, digits, punctuation) is {@code empty}; more than 30 % of the
 * letters outside a-z (Cyrillic, CJK, Arabic, heavily accented text) is {@code not_english}; more function words of
 * French, Spanish, German, Portuguese, Italian or Dutch than of English is {@code not_english}; five or more words
 * without a single common English word is {@code not_english}. Short English texts without function words ("Refund?",
 * "worst service ever") pass, which is why the last rule waits for five words.
 */
final class TextScreen {

    static final String EMPTY = "empty";
    static final String NOT_ENGLISH = "not_english";

    private static final double MAX_NON_ASCII_LETTERS = 0.3;
    private static final int WORDS_BEFORE_REQUIRING_ENGLISH = 5;

    // Common English words, including what customers text ("pls", "u", "thx").
    private static final Set<String> ENGLISH = Set.copyOf(List.of("the", "a", "an", "and", "or", "but", "not", "no",
            "yes", "is", "are", "was", "were", "be", "been", "am", "i", "im", "you", "u", "he", "she", "it", "its",
            "we", "they", "me", "my", "your", "our", "their", "this", "that", "these", "those", "of", "to", "in", "on",
            "at", "for", "with", "from", "by", "about", "as", "if", "so", "do", "does", "did", "dont", "didnt", "have",
            "has", "had", "can", "cant", "could", "will", "wont", "would", "should", "what", "when", "where", "why",
            "how", "who", "which", "there", "here", "all", "any", "some", "just", "still", "again", "never", "ever",
            "very", "too", "please", "pls", "plz", "thanks", "thank", "thx", "hi", "hello", "hey", "ok", "okay", "get",
            "got", "need", "want", "know", "now", "today", "tomorrow", "yesterday", "order", "help", "up", "out",
            "after", "before", "than", "then", "because", "one", "time", "day", "good", "bad", "great", "worst", "best",
            "service", "more", "much", "really", "already", "waiting", "back", "going"));

    // Function words of the other languages customers most often text in, chosen not to be English words too.
    private static final Set<String> OTHER = Set
            .copyOf(List.of("je", "vous", "nous", "est", "les", "des", "une", "pas", "avec", "pour", "merci", "bonjour",
                    "voudrais", "mon", "ma", "mes", "suis", "très", "oui", "el", "los", "las", "por", "para", "gracias",
                    "hola", "usted", "está", "quiero", "mi", "es", "muy", "pero", "ich", "nicht", "und", "der", "das",
                    "ist", "bitte", "danke", "mit", "ein", "eine", "hallo", "mein", "meine", "habe", "não", "obrigado",
                    "você", "com", "uma", "meu", "grazie", "sono", "della", "il", "che", "non", "het", "een", "niet",
                    "ik", "dank", "wil", "graag", "que", "del", "le", "du", "au", "ce", "et", "och", "jeg"));

    private TextScreen() {
    }

    /** @return null when the text should be scored, else the flag it is shown with */
    static String flag(String text) {
        if (text == null) {
            return EMPTY;
        }
        int letters = 0;
        int nonAscii = 0;
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetter(c)) {
                letters++;
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                    nonAscii++;
                }
            }
        }
        if (letters == 0) {
            return EMPTY;
        }
        if (nonAscii > MAX_NON_ASCII_LETTERS * letters) {
            return NOT_ENGLISH;
        }
        List<String> words = words(text);
        int english = 0;
        int other = 0;
        for (String w : words) {
            if (ENGLISH.contains(w)) {
                english++;
            } else if (OTHER.contains(w)) {
                other++;
            }
        }
        if (other > english) {
            return NOT_ENGLISH;
        }
        if (english == 0 && words.size() >= WORDS_BEFORE_REQUIRING_ENGLISH) {
            return NOT_ENGLISH;
        }
        return null;
    }

    // Runs of letters, lower-cased; apostrophes inside words are dropped ("don't" -> "dont", "s'il" -> "sil").
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetter(c)) {
                word.appendCodePoint(c);
            } else if ((c == '\'' || c == '\u2019') && word.length() > 0) {
                continue;
            } else if (word.length() > 0) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return words;
    }
}
