package dev.switchboard.agents;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.web.ApiException;

/** Logging in and managing agents, with the checks on what clients send. */
@ApplicationScoped
public class AgentService {

    private static final Logger LOG = Logger.getLogger(AgentService.class);

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    static final int MIN_PASSWORD_CHARACTERS = 8;
    static final int MAX_DISPLAY_NAME_CHARACTERS = 100;
    static final String DEMO_AGENT = "demo";
    static final String DEMO_PASSWORD = "demo-password";

    /** The same answer for an unknown name and a wrong password, so that names cannot be probed. */
    private static final String BAD_CREDENTIALS = "wrong agent name or password";

    /** What a successful login returns. */
    public record LoginResult(Tokens.Issued token, Agent agent) {
    }

    /** An agent to create, as an admin or the start-up configuration describes it. */
    public record NewAgent(String agent, String password, String displayName, Collection<String> roles) {
    }

    private final AgentStore store;
    private final Passwords passwords;
    private final Tokens tokens;
    private final MeterRegistry metrics;
    private final Event<AgentDisabled> disabledEvents;
    private final LoginThrottle throttle;

    AgentService(AgentStore store, Passwords passwords, Tokens tokens, MeterRegistry metrics,
            Event<AgentDisabled> disabledEvents, LoginThrottle throttle) {
        this.throttle = throttle;
        this.store = store;
        this.passwords = passwords;
        this.tokens = tokens;
        this.metrics = metrics;
        this.disabledEvents = disabledEvents;
    }

    /**
     * @param address
     *            the client's address as the HTTP layer resolved it (behind a trusted proxy, its
     *            {@code X-Forwarded-For}), which throttling counts failures by
     */
    public LoginResult login(String name, String password, String address) {
        if (name == null || password == null) {
            throw ApiException.badRequest("agent and password are required");
        }
        boolean wellFormed = NAME.matcher(name).matches();
        List<LoginThrottle.Counter> counters = throttle.counters(wellFormed ? name : null,
                address == null ? "unknown" : address);
        Duration wait = throttle.holdBack(counters);
        if (!wait.isZero()) {
            count("throttled");
            long seconds = (wait.toMillis() + 999) / 1000;
            throw ApiException.tooManyRequests("too many failed logins; try again in " + seconds + " s", seconds);
        }
        // Malformed names never reach DynamoDB (whose keys have limits of their own) but cost the same time.
        AgentStore.Stored stored = wellFormed ? store.findWithPasswordHash(name).orElse(null) : null;
        if (stored == null) {
            passwords.checkAgainstDecoy(password);
            throttle.failed(counters);
            throw refused("unknown", BAD_CREDENTIALS);
        }
        if (!passwords.matches(password, stored.passwordHash())) {
            throttle.failed(counters);
            throw refused("wrong-password", BAD_CREDENTIALS);
        }
        throttle.succeeded(counters);
        // Only someone who knows the password learns that the agent is disabled.
        if (stored.agent().disabled()) {
            throw refused("disabled", null);
        }
        count("success");
        return new LoginResult(tokens.issue(stored.agent()), stored.agent());
    }

    private ApiException refused(String outcome, String reason) {
        count(outcome);
        return reason == null ? ApiException.forbidden("agent is disabled") : ApiException.unauthorized(reason);
    }

    private void count(String outcome) {
        metrics.counter("switchboard.logins", "outcome", outcome).increment();
    }

    /**
     * @throws ApiException
     *             400 for an unacceptable agent, 409 if the name is taken
     */
    public Agent create(NewAgent request) {
        Agent agent = validate(request);
        if (!store.create(agent, passwords.hash(request.password()))) {
            throw ApiException.conflict("agent " + agent.agent() + " exists");
        }
        LOG.infof("created agent %s with roles %s", agent.agent(), agent.roles());
        return agent;
    }

    /**
     * Creates the agent unless one of that name exists, which is then left exactly as it is.
     *
     * @return whether it was created
     */
    public boolean createIfAbsent(NewAgent request) {
        Agent agent = validate(request);
        if (store.find(agent.agent()).isPresent()) {
            return false;
        }
        return store.create(agent, passwords.hash(request.password()));
    }

    public List<Agent> list() {
        return store.list();
    }

    /**
     * @param actor
     *            the admin asking, who may not disable itself and so lock everyone out
     */
    public void setDisabled(String name, boolean disabled, String actor) {
        if (disabled && name.equals(actor)) {
            throw ApiException.badRequest("an admin cannot disable itself");
        }
        if (!NAME.matcher(name).matches() || !store.setDisabled(name, disabled, Instant.now())) {
            throw ApiException.notFound("no agent " + name);
        }
        LOG.infof("agent %s %s by %s", name, disabled ? "disabled" : "enabled", actor);
        if (disabled) {
            // After the write: a command racing this reads the agent again and finds it disabled.
            disabledEvents.fire(new AgentDisabled(name));
        }
    }

    private static Agent validate(NewAgent request) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body with agent, password, displayName and roles is required");
        }
        String name = request.agent();
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest(
                    "agent must be 2 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        String password = request.password();
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARACTERS) {
            throw ApiException.badRequest("password must have at least " + MIN_PASSWORD_CHARACTERS + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > Passwords.MAX_BYTES) {
            throw ApiException.badRequest("password must be at most " + Passwords.MAX_BYTES + " bytes in UTF-8");
        }
        String displayName = request.displayName() == null || request.displayName().isBlank() ? name
                : request.displayName().strip();
        if (displayName.codePointCount(0, displayName.length()) > MAX_DISPLAY_NAME_CHARACTERS) {
            throw ApiException.badRequest("displayName must be at most " + MAX_DISPLAY_NAME_CHARACTERS + " characters");
        }
        Collection<String> asked = request.roles() == null ? List.of(Roles.AGENT) : request.roles();
        if (asked.isEmpty() || asked.stream().anyMatch(role -> role == null || !Roles.ALL.contains(role))) {
            throw ApiException.badRequest("roles must be one or more of " + new TreeSet<>(Roles.ALL));
        }
        Instant now = Instant.now();
        return new Agent(name, displayName, new TreeSet<>(asked), false, now, now);
    }
}
