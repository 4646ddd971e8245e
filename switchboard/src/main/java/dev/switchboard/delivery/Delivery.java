package dev.switchboard.delivery;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;

/**
 * Gets a frame to an agent whichever instance holds their connection. With Redis configured, frames go through one
 * pub/sub channel per agent, which the instance holding the agent's connection subscribes to; without Redis (a single
 * instance) they go straight to the local connection. Pub/sub forgets what nobody listened to, which is why every
 * (re)connect resyncs the agent from DynamoDB.
 */
@ApplicationScoped
public class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);
    static final String CHANNEL_PREFIX = "switchboard:agent:";

    private final LocalSockets sockets;
    private final ObjectMapper json;
    private final Optional<PubSubCommands<String>> pubsub;
    private final Map<String, PubSubCommands.RedisSubscriber> subscriptions = new ConcurrentHashMap<>();

    Delivery(LocalSockets sockets, ObjectMapper json, Instance<RedisDataSource> redis,
            @ConfigProperty(name = "switchboard.delivery.redis-url") Optional<String> redisHosts) {
        this.sockets = sockets;
        this.json = json;
        this.pubsub = redisHosts.filter(hosts -> !hosts.isBlank()).map(hosts -> redis.get().pubsub(String.class));
        LOG.infof("agent delivery: %s", pubsub.isPresent() ? "Redis pub/sub" : "in process (single instance)");
    }

    public void toAgent(String agent, Object frame) {
        String text;
        try {
            text = json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frame not serializable: " + frame, e);
        }
        if (pubsub.isPresent()) {
            try {
                pubsub.get().publish(CHANNEL_PREFIX + agent, text);
                return;
            } catch (RuntimeException e) {
                // The agent may well be connected here; better a local delivery than none.
                LOG.warnf("Redis publish failed (%s); delivering locally only", e.getMessage());
            }
        }
        sockets.send(agent, text);
    }

    /** Called when this instance gets a connection of the agent. */
    public void listen(String agent) {
        pubsub.ifPresent(commands -> subscriptions.computeIfAbsent(agent,
                a -> commands.subscribe(CHANNEL_PREFIX + a, text -> sockets.send(a, text))));
    }

    /** Called when this instance holds no more connections of the agent. */
    public void forget(String agent) {
        PubSubCommands.RedisSubscriber subscriber = subscriptions.remove(agent);
        if (subscriber != null) {
            subscriber.unsubscribe();
        }
    }

    @PreDestroy
    void close() {
        subscriptions.values().forEach(PubSubCommands.RedisSubscriber::unsubscribe);
        subscriptions.clear();
    }
}
