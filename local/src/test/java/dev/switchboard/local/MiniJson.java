package dev.switchboard.local;

import java.util.List;
import java.util.Map;

/** The stand-in's own JSON reader, typed for tests that look inside its answers. */
final class MiniJson {

    private MiniJson() {
    }

    static Object parse(String text) {
        return Json.read(text);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(String text) {
        return (List<Object>) parse(text);
    }
}
