package dev.switchboard.console.enrich;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Rolling sentiment of each conversation's customer messages. Derived data only, bounded both ways: the last
 * {@code trend-window} scores per conversation, the {@code trend-conversations} most recently touched conversations.
 */
@ApplicationScoped
public class Trends {

    private record Point(Instant at, String messageId) {
    }

    private static final Comparator<Point> ORDER = Comparator.comparing(Point::at).thenComparing(Point::messageId);

    private final SentimentConfig config;
    private final Map<String, TreeMap<Point, Integer>> conversations;

    @Inject
    public Trends(SentimentConfig config) {
        this.config = config;
        int capacity = config.trendConversations();
        this.conversations = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TreeMap<Point, Integer>> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Adds a scored customer message (again is harmless) and returns the conversation's trend. Messages are placed by
     * when they were written, not when their scores arrived.
     */
    public Trend record(String conversation, String messageId, Instant createdAt, Sentiment sentiment) {
        synchronized (conversations) {
            TreeMap<Point, Integer> points = conversations.computeIfAbsent(conversation, c -> new TreeMap<>(ORDER));
            if (sentiment.scored()) {
                points.put(new Point(createdAt == null ? Instant.EPOCH : createdAt, messageId), sentiment.score() - 2);
                while (points.size() > config.trendWindow()) {
                    points.pollFirstEntry();
                }
            }
            return trend(points);
        }
    }

    /** The conversation's trend from what is scored so far. */
    public Trend current(String conversation) {
        synchronized (conversations) {
            TreeMap<Point, Integer> points = conversations.get(conversation);
            return trend(points == null ? new TreeMap<>(ORDER) : points);
        }
    }

    private Trend trend(TreeMap<Point, Integer> scores) {
        List<Integer> points = new ArrayList<>(scores.values());
        if (points.isEmpty()) {
            return new Trend(null, "steady", false, points);
        }
        double mean = mean(points, 0, points.size());
        int half = points.size() / 2;
        String direction = "steady";
        if (half > 0) {
            double change = mean(points, points.size() - half, points.size()) - mean(points, 0, half);
            if (change >= config.directionThreshold()) {
                direction = "rising";
            } else if (change <= -config.directionThreshold()) {
                direction = "falling";
            }
        }
        // Lit by a negative mean, or by a run of negative texts however calm the conversation began: the customer who
        // turned angry is the one to see now.
        boolean negative = points.size() >= config.trendMinMessages() && mean < config.negativeThreshold()
                || endsInNegativeRun(points, config.negativeRun());
        return new Trend(Math.round(mean * 100) / 100.0, direction, negative, List.copyOf(points));
    }

    private static boolean endsInNegativeRun(List<Integer> points, int run) {
        if (run < 1 || points.size() < run) {
            return false;
        }
        for (int i = points.size() - run; i < points.size(); i++) {
            if (points.get(i) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static double mean(List<Integer> points, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += points.get(i);
        }
        return sum / (to - from);
    }
}
