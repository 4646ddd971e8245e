package dev.switchboard.console.enrich;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, transparent layer of what customer-service texts say that a general-purpose sentiment model misses: anger in
 * the facts ("still hasn't arrived", "never showed up", "charged twice"), thanks and praise, emoji and emoticons, and
 * shouting. It reads a text for negative and positive evidence; {@link SentimentModel} decides with it alone when it is
 * clear, and otherwise lets it shift the model's reading.
 *
 * <p>
 * The cues are written from what support lines receive, in groups, each for a reason given beside it; they are not a
 * list of known texts. They match whole words of the text lower-cased, with apostrophes dropped ("hasn't" is
 * {@code hasnt}) and the commonest SMS spellings read as words ("u", "ur", "thx", "pls").
 */
final class ServiceLexicon {

    /** Evidence of one text; weights are small integers, 2 for a cue that alone tells the label. */
    record Reading(double negative, double positive) {

        /** Whether one side clearly wins: the label then needs no parse. */
        boolean decisive() {
            return Math.abs(positive - negative) >= DECISIVE;
        }

        boolean none() {
            return negative == 0 && positive == 0;
        }
    }

    static final double DECISIVE = 2;

    private record Cue(Pattern pattern, double weight) {
    }

    private static Cue cue(double weight, String regex) {
        return new Cue(Pattern.compile("\\b(?:" + regex + ")\\b"), weight);
    }

    // A positive word denied ("not impressed") is negative evidence only.
    private static final Pattern DENIED = Pattern
            .compile("\\bnot (?:happy|impressed|good|great|ok|okay|satisfied" + "|pleased|helpful|fair)\\b");

    // What went wrong, told as facts: the commonest reasons anyone texts a support line unhappy.
    private static final List<Cue> NEGATIVE = List.of(
            // Something still not done, or never done.
            cue(2, "still (?:hasnt|havent|hadnt|isnt|arent|doesnt|dont|didnt|not|no|nothing|waiting|broken)"),
            cue(2, "never (?:showed|show|came|come|arrived|arrives|arrive|turned|called|replied|answered|received|got"
                    + "|heard|worked|works|fixed)"),
            cue(2, "(?:nobody|no one|noone)"),
            cue(2, "no (?:refund|reply|replies|response|answer|update|updates|emails|record|rebooking|callback|call)"),
            // Things that do not work or do not arrive.
            cue(2, "(?:doesnt|dont|didnt|wont|isnt|wasnt|cant|cannot|couldnt|not) (?:work|working|open|opens|arrive"
                    + "|arrived|turn up|show up|come|fit|load|start|charge|connect|log in|login|sign in|turned up)"),
            cue(2, "(?:broken|cracked|smashed|ruined|damaged|dented|bent|leaking|leak|burnt|stained|faulty|defective"
                    + "|fell apart|soaking|torn|scratched|crashing|crashed|dropping|dies|died|missing|lost|down since)"),
            // Money taken that should not have been.
            cue(2, "(?:overcharged|over charged|double charged|charged (?:me )?twice|billed twice|charged (?:a|an)"
                    + "(?: \\w+)? fee|been charged|billed for|money back|took my payment|money left)"),
            // Time lost.
            cue(2, "(?:been waiting|waited|waiting since|on hold|for nothing|took the day off|overdue|another delay"
                    + "|delayed|for a month)"),
            cue(1, "(?:late|delay|waiting|hours|hrs|weeks)"),
            // Done to the customer without asking, or wrongly.
            cue(2, "(?:you|youve|you have|they) (?:lost|cancelled|canceled|closed|forgot|keep|promised)"),
            // A promise mentioned to support is one that was broken.
            cue(2, "(?:was|were|been|i was) promised|(?:is|are) gone"),
            cue(2, "(?:was|been|got) (?:cancelled|canceled|lost|given to someone else)"),
            cue(2, "(?:for no reason|without (?:any )?(?:warning|telling|notice|asking)|didnt order|not paying)"),
            cue(2, "(?:the )?wrong (?:size|item|address|amount|colour|color|order|one|thing|bill|number)"),
            cue(2, "(?:different (?:colour|color|size|model) from|substituted|instead of what)"),
            // Words of anger, and rhetorical questions that carry it.
            cue(2, "(?:ridiculous|unacceptable|not acceptable|joke|disgusted|disgusting|furious|angry|annoyed"
                    + "|frustrated|frustrating|disappointed|disappointing|terrible|horrible|awful|worst|useless"
                    + "|pathetic|rubbish|shocking|appalling|outrageous|sick of|fed up|done with|had enough"
                    + "|long enough|never again|not buying again|never ordering|rude|hung up|ignored|ignoring"
                    + "|passed around|ffs|wtf|seriously|downhill|manager|complaint|complain)"),
            cue(2, "(?:do you even|whats the point|what is going on|whats going on|now what|fix this|sort this out"
                    + "|i expect|stop sending|explained this|third time|asked three times)"),
            // A positive word denied.
            new Cue(DENIED, 3));

    // Thanks, praise, relief.
    private static final List<Cue> POSITIVE = List.of(
            cue(2, "(?:thank|thanks|thankyou|cheers|appreciate|appreciated|grateful)"),
            cue(2, "(?:great|perfect|perfectly|brilliant|amazing|awesome|excellent|fantastic|wonderful|lovely|love"
                    + "|loved|best|superb|delighted|happy|happier|pleased|glad|impressed|kind|helpful|friendly"
                    + "|reassuring|patient|spotless|delicious|star|rock|yay|well done|safe and sound|saved)"),
            cue(2, "(?:sorted|resolved|fixed it|works now|worked|it did|all good|not bad|no problem|no worries"
                    + "|much better|so much (?:better|easier|faster)|better than)"),
            cue(1, "(?:good|cool|quick|fast|faster|easier|nice|fine)"));

    // Requests that end with a courtesy: their "thanks" is politeness, not thanks for something done.
    private static final Pattern REQUEST = Pattern
            .compile("\\?|\\b(?:please|can you|could you|can i|can we|would you|will you|i need|i want|id like"
                    + "|dont need|no need|no thanks)\\b");
    private static final Pattern THANKS = Pattern.compile("\\b(?:thank|thanks|thankyou|cheers)\\b");
    // Praise a request cannot turn into politeness.
    private static final Pattern PRAISE = Pattern.compile("\\b(?:great|perfect|brilliant|amazing|awesome|excellent"
            + "|fantastic|wonderful|lovely|love|best|happy|pleased|glad|impressed|good|sorted|resolved)\\b");
    // Problems of the customer's own making are not complaints: "I'm running late", "I ordered the wrong size".
    private static final Pattern OWN = Pattern.compile(
            "\\b(?:i am|im|ill be|i will be|were|we are) (?:running )?(?:\\w+ )?late\\b|\\bi (?:ordered|picked|chose"
                    + "|bought|entered|typed) the wrong\\b|\\bby mistake\\b|\\bmy mistake\\b");

    private static final String NEGATIVE_EMOJI = "\uD83D\uDE21\uD83D\uDE20\uD83D\uDE24\uD83D\uDE44\uD83D\uDE2D"
            + "\uD83D\uDE22\uD83D\uDE1E\uD83D\uDE29\uD83D\uDE2B\uD83E\uDD2C\uD83D\uDC4E\uD83D\uDC94\u2639\uD83D\uDE41"
            + "\uD83D\uDE12";
    private static final String POSITIVE_EMOJI = "\uD83D\uDE0A\uD83D\uDE42\uD83D\uDE00\uD83D\uDE03\uD83D\uDE04"
            + "\uD83D\uDE01\uD83D\uDE0D\uD83E\uDD70\u2764\u2665\uD83D\uDC4D\uD83D\uDE4F\uD83C\uDF89\uD83D\uDC4C"
            + "\uD83D\uDCAF\u2705\uD83D\uDE00";
    private static final Pattern NEGATIVE_EMOTICON = Pattern.compile("(?:>:\\(|:'\\(|:-?\\(|:-?/(?!/))");
    private static final Pattern POSITIVE_EMOTICON = Pattern.compile("(?::-?\\)|:-?D\\b|;-?\\)|<3|=\\)|\\bxD\\b)");

    // Contrast: what follows "but" is what the customer means ("late, but you sorted it").
    private static final Pattern BUT = Pattern.compile("\\b(?:but|though|however|although)\\b");

    private ServiceLexicon() {
    }

    static Reading read(String text) {
        if (text == null || text.isBlank()) {
            return new Reading(0, 0);
        }
        String words = normalize(text);
        double negative = 0;
        double positive = 0;
        Matcher but = BUT.matcher(words);
        int contrast = -1;
        while (but.find()) {
            contrast = but.end();
        }
        String own = OWN.matcher(words).replaceAll(" ");
        negative += score(NEGATIVE, own, contrast);
        double thanks = THANKS.matcher(words).find() ? 2 : 0;
        positive += score(POSITIVE, DENIED.matcher(words).replaceAll(" "), contrast);
        if (thanks > 0 && REQUEST.matcher(words).find() && !PRAISE.matcher(words).find()) {
            positive -= thanks;
        }
        // Emoji and emoticons count once per kind: three angry faces are one angry customer.
        if (containsAny(text, NEGATIVE_EMOJI) || NEGATIVE_EMOTICON.matcher(text).find()) {
            negative += 2;
        }
        if (containsAny(text, POSITIVE_EMOJI) || POSITIVE_EMOTICON.matcher(text).find()) {
            positive += 2;
        }
        // Shouting and "!!!"/"???" make the stronger side stronger; a shouted question at support is an angry one.
        boolean shouting = shouting(text);
        boolean repeated = text.contains("!!") || text.contains("??");
        if (shouting || repeated) {
            if (negative > positive || negative == 0 && positive == 0 && shouting && text.contains("?")) {
                negative += 2;
            } else if (positive > negative) {
                positive += 1;
            }
        }
        return new Reading(negative, Math.max(0, positive));
    }

    private static double score(List<Cue> cues, String words, int contrast) {
        double sum = 0;
        for (Cue cue : cues) {
            Matcher m = cue.pattern().matcher(words);
            while (m.find()) {
                sum += cue.weight() * (contrast >= 0 && m.start() >= contrast ? 1.5 : 1);
            }
        }
        return sum;
    }

    static String normalize(String text) {
        String s = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replace("'", "");
        s = s.replaceAll("\\bu\\b", "you").replaceAll("\\bur\\b", "your").replaceAll("\\br\\b", "are")
                .replaceAll("\\b(?:thx|thnx|thanx|tnx|ty)\\b", "thanks").replaceAll("\\b(?:pls|plz)\\b", "please")
                .replaceAll("\\b2day\\b", "today").replaceAll("\\bwat\\b", "what");
        return s.replaceAll("\\s+", " ");
    }

    private static boolean containsAny(String text, String symbols) {
        for (int i = 0; i < symbols.length();) {
            int c = symbols.codePointAt(i);
            i += Character.charCount(c);
            if (text.indexOf(new String(Character.toChars(c))) >= 0) {
                return true;
            }
        }
        return false;
    }

    // Most of the text's letters upper case, or two words of four letters or more in capitals: acronyms and codes
    // ("PIN", "ATM", "AX-2291") are shorter.
    private static boolean shouting(String text) {
        int upper = 0;
        int letters = 0;
        int loudWords = 0;
        for (String word : text.split("[^\\p{L}]+")) {
            if (word.length() >= 4 && word.equals(word.toUpperCase(Locale.ROOT))) {
                loudWords++;
            }
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        return letters >= 6 && (upper * 2 > letters || loudWords >= 2);
    }
}
