package dev.switchboard.delivery;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.StartupEvent;

/**
 * Gets a frame to an agent whichever instance holds their connection. With Redis configured, a frame is published on
 * the agent's channel ({@code switchboard:agent:<name>}); every instance listens to all agents' channels through one
 * pattern subscription made at start-up, and passes a frame on only if it holds that agent's connection. One
 * subscription per instance, made once, leaves nothing to race when agents connect and disconnect. Without Redis (a
 * single instance) frames go straight to the local connection. Pub/sub forgets what nobody listened to, which is why
 * every (re)connect resyncs the agent from DynamoDB.
 */
@ApplicationScoped
public class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);
    static final String CHANNEL_PREFIX = "switchboard:agent:";
    /** Carries the names of agents whose sockets must close everywhere (disabled): one channel, every instance. */
    static final String REVOKE_CHANNEL = "switchboard:revoke";

    private final LocalSockets sockets;
    private final ObjectMapper json;
    private final Optional<ReactivePubSubCommands<String>> pubsub;

    Delivery(LocalSockets sockets, ObjectMapper json, Instance<ReactiveRedisDataSource> redis,
            @ConfigProperty(name = "switchboard.delivery.redis-url") Optional<String> redisUrl) {
        this.sockets = sockets;
        this.json = json;
        this.pubsub = redisUrl.filter(url -> !url.isBlank()).map(url -> redis.get().pubsub(String.class));
        LOG.infof("agent delivery: %s", pubsub.isPresent() ? "Redis pub/sub" : "in process (single instance)");
    }

    void subscribe(@Observes StartupEvent start) {
        // Not retried: a subscribe whose reply is lost may still be registered, and a second one would double
        // every frame.
        pubsub.ifPresent(commands -> commands
                .subscribeToPattern(CHANNEL_PREFIX + "*",
                        (channel, text) -> sockets.send(channel.substring(CHANNEL_PREFIX.length()), text))
                .subscribe().with(subscribed -> LOG.infof("listening for agent frames on %s*", CHANNEL_PREFIX),
                        failure -> LOG.errorf("could not subscribe to %s*: %s", CHANNEL_PREFIX, failure.getMessage())));
        pubsub.ifPresent(commands -> commands.subscribe(REVOKE_CHANNEL, this::closeLocally).subscribe().with(
                subscribed -> LOG.infof("listening for revocations on %s", REVOKE_CHANNEL),
                failure -> LOG.errorf("could not subscribe to %s: %s", REVOKE_CHANNEL, failure.getMessage())));
    }

    /**
     * Closes every socket of the agent on every instance, each after a last {@code error unauthorized} frame, with
     * {@value LocalSockets#UNAUTHORIZED_CODE} {@value LocalSockets#UNAUTHORIZED}. Local sockets close at once; the
     * others when the message reaches their instance (milliseconds). A lost message is caught by the revocation sweep.
     */
    public void revoke(String agent) {
        closeLocally(agent);
        pubsub.ifPresent(commands -> commands.publish(REVOKE_CHANNEL, agent).subscribe().with(published -> {
        }, failure -> LOG.warnf("Redis publish of the revocation of %s failed: %s", agent, failure.getMessage())));
    }

    private void closeLocally(String agent) {
        sockets.revoked(agent);
        int closed = sockets.closeAll(agent, unauthorizedFrame(), LocalSockets.UNAUTHORIZED_CODE,
                LocalSockets.UNAUTHORIZED);
        if (closed > 0) {
            LOG.infof("closed %d socket(s) of %s: access revoked", closed, agent);
        }
    }

    /** The frame an agent's socket gets before it is closed for want of a valid sign-in. */
    public String unauthorizedFrame() {
        try {
            return json.writeValueAsString(new Frames.Error(LocalSockets.UNAUTHORIZED, "sign in again"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void toAgent(String agent, Object frame) {
        String text;
        try {
            text = json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frame not serializable: " + frame, e);
        }
        if (pubsub.isEmpty()) {
            sockets.send(agent, text);
            return;
        }
        String channel = CHANNEL_PREFIX + agent;
        pubsub.get().publish(channel, text).subscribe().with(published -> {
        }, failure -> {
            // The agent may well be connected here: if Redis fails, a local delivery beats none.
            LOG.warnf("Redis publish to %s failed (%s); delivering locally only", channel, failure.getMessage());
            sockets.send(agent, text);
        });
    }
}
