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

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;

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
    private final Optional<ReactivePubSubCommands<String>> pubsub;
    private final Map<String, ReactivePubSubCommands.ReactiveRedisSubscriber> subscriptions = new ConcurrentHashMap<>();

    Delivery(LocalSockets sockets, ObjectMapper json, Instance<ReactiveRedisDataSource> redis,
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
            String channel = CHANNEL_PREFIX + agent;
            // The agent may well be connected here: if Redis fails, a local delivery beats none.
            pubsub.get().publish(channel, text).subscribe().with(published -> {
            }, failure -> {
                LOG.warnf("Redis publish to %s failed (%s); delivering locally only", channel, failure.getMessage());
                sockets.send(agent, text);
            });
            return;
        }
        sockets.send(agent, text);
    }

    /** Called when this instance gets a connection of the agent; returns once the subscription is in place. */
    public void listen(String agent) {
        if (pubsub.isEmpty() || subscriptions.containsKey(agent)) {
            return;
        }
        ReactivePubSubCommands.ReactiveRedisSubscriber subscriber = pubsub.get()
                .subscribe(CHANNEL_PREFIX + agent, text -> sockets.send(agent, text)).await()
                .atMost(java.time.Duration.ofSeconds(5));
        if (subscriptions.putIfAbsent(agent, subscriber) != null) {
            subscriber.unsubscribe().subscribe().with(done -> {
            }, failure -> LOG.debugf("unsubscribe failed: %s", failure.getMessage()));
        }
    }

    /** Called when this instance holds no more connections of the agent. */
    public void forget(String agent) {
        ReactivePubSubCommands.ReactiveRedisSubscriber subscriber = subscriptions.remove(agent);
        if (subscriber != null) {
            subscriber.unsubscribe().subscribe().with(done -> {
            }, failure -> LOG.debugf("unsubscribe failed: %s", failure.getMessage()));
        }
    }

    @PreDestroy
    void close() {
        subscriptions.keySet().forEach(this::forget);
        subscriptions.clear();
    }
}
