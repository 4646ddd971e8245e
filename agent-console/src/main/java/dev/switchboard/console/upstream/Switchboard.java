package dev.switchboard.console.upstream;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

import dev.switchboard.console.config.ConsoleConfig;

/**
 * The one REST client of the switchboard, pointed at {@code console.switchboard-url} with
 * {@code console.switchboard-timeout} for connecting and for each answer. Callers add their retries (SmallRye Fault
 * Tolerance, configured in {@code application.properties}).
 */
@ApplicationScoped
public class Switchboard {

    private final SwitchboardApi api;

    Switchboard(ConsoleConfig config) {
        // The start-up check refuses a console without the URL; until it has run, no call is made.
        this.api = config.switchboardUrl()
                .map(url -> QuarkusRestClientBuilder.newBuilder().baseUri(url)
                        .connectTimeout(config.switchboardTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(config.switchboardTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .disableDefaultMapper(true).build(SwitchboardApi.class))
                .orElse(null);
    }

    public SwitchboardApi api() {
        if (api == null) {
            throw new IllegalStateException("console.switchboard-url is not set");
        }
        return api;
    }
}
