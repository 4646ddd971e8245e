package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put("a", List.of("x", true, 2L));
        map.put("n", null);
        map.put("o", Map.of("k", false));
        map.put("empty", List.of());

        assertEquals("{\"b\":1,\"a\":[\"x\",true,2],\"n\":null,\"o\":{\"k\":false},\"empty\":[]}", Json.write(map));
    }

    @Test
    void everyCharacterSurvivesARoundTripAndNoneBreaksOutOfHtml() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            if (!Character.isSurrogate(c)) {
                all.append(c);
            }
        }
        all.append("😀");
        String text = all.toString();

        String json = Json.write(List.of(text));

        assertEquals(List.of(text), MiniJson.parse(json));
        assertFalse(json.chars().anyMatch(c -> c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028),
                "unescaped character in " + json);
    }

    @Test
    void refusesValuesWithoutOneRightForm() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Arrays.asList(new Object())));
    }

    @Test
    void readsWhatItWritesAndWhatBrowsersSend() {
        String text = "h\u00e9llo \"there\"\n\u2028 <b>&</b> \ud83d\ude00";
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("from", "+15551234567");
        map.put("body", text);
        map.put("media", List.of("sample.png"));
        map.put("n", null);
        map.put("ok", true);
        map.put("count", 3L);

        assertEquals(map, Json.read(Json.write(map)));
        assertEquals(Map.of("a", List.of(1L, -2.5, 1e3), "b", "\u00e9/"),
                Json.read(" { \"a\" : [1, -2.5, 1e3], \"b\": \"\\u00e9\\/\" } "));
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1}x", "'a'", "\"\\x\"", "\"\\u+123\"",
                "{\"a\":1,\"a\":2}", "01", "\"tab\there\"", "[".repeat(100) + "]".repeat(100))) {
            assertThrows(IllegalArgumentException.class, () -> Json.read(bad), bad);
        }
    }
}
