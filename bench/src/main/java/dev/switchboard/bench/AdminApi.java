package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The switchboard's own API as an operator's script uses it to set up agents: {@code POST /auth/login} and
 * {@code POST /admin/agents}. Each benchmark agent's password is its name followed by {@code -password}.
 */
final class AdminApi {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final URI base;

    AdminApi(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    static String password(String agent) {
        return agent + "-password";
    }

    /** Signs in and returns the token. */
    String login(String agent, String password) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/auth/login")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers
                                .ofString("{\"agent\":\"" + agent + "\",\"password\":\"" + password + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException(
                    "login of " + agent + " answered " + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }

    /** Creates an agent (role {@code agent}) through the admin API. */
    void createAgent(String adminToken, String name) throws Exception {
        String body = "{\"agent\":\"" + name + "\",\"password\":\"" + password(name) + "\",\"displayName\":\"" + name
                + "\",\"roles\":[\"agent\"]}";
        HttpResponse<String> response = http
                .send(HttpRequest.newBuilder(URI.create(base + "/admin/agents")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "creating agent " + name + " answered " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * Creates every agent and signs each in once, {@code concurrency} at a time, as a provisioning script would.
     *
     * @return each agent's token
     */
    Map<String, String> createAndSignIn(String adminToken, List<String> names, int concurrency) throws Exception {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        parallel(concurrency, names, name -> {
            createAgent(adminToken, name);
            tokens.put(name, login(name, password(name)));
        });
        return tokens;
    }

    /** One step for each agent. */
    @FunctionalInterface
    interface Step {
        void run(String name) throws Exception;
    }

    /** Runs the step for every name, {@code concurrency} at a time; the first failure stops the run. */
    static void parallel(int concurrency, List<String> names, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (String name : names) {
                work.add(pool.submit(() -> {
                    step.run(name);
                    return null;
                }));
            }
            for (Future<?> f : work) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
