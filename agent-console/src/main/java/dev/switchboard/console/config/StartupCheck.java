package dev.switchboard.console.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;

import dev.switchboard.console.enrich.Enrichment;

/**
 * Refuses to start without the settings the console cannot work without, naming the environment variable to set; a
 * console that started anyway would only answer 503s and 401s.
 */
@ApplicationScoped
public class StartupCheck {

    /** What the switchboard's public key is read from (PEM text). */
    public static final String PUBLIC_KEY_ENV = "SWITCHBOARD_JWT_PUBLIC_KEY";

    void check(@Observes StartupEvent event, ConsoleConfig console, Config settings, Instance<Enrichment> enrichment) {
        if (console.switchboardUrl().isEmpty()) {
            throw new IllegalStateException("no switchboard to talk to: set " + ConsoleConfig.SWITCHBOARD_URL_ENV
                    + " to its base URL, e.g. http://localhost:8080");
        }
        String scheme = console.switchboardUrl().get().getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalStateException(
                    ConsoleConfig.SWITCHBOARD_URL_ENV + " must be an http:// or https:// URL, not " + scheme);
        }
        // NONE is SmallRye JWT's "no key", the fallback in application.properties.
        boolean key = settings.getOptionalValue("mp.jwt.verify.publickey", String.class)
                .filter(value -> !"NONE".equals(value)).isPresent()
                || settings.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent();
        if (!key) {
            throw new IllegalStateException("no key to verify the agents' tokens: set " + PUBLIC_KEY_ENV
                    + " to the switchboard's PEM-encoded RSA public key");
        }
        if (console.reconnect().minDelay().isNegative() || console.reconnect().minDelay().isZero()
                || console.reconnect().maxDelay().compareTo(console.reconnect().minDelay()) < 0) {
            throw new IllegalStateException(
                    "console.reconnect.min-delay must be positive and at most console.reconnect.max-delay");
        }
        if (enrichment.isUnsatisfied()) {
            throw new IllegalStateException("no " + Enrichment.class.getName() + " bean: the frames to the browsers "
                    + "have nothing to pass through");
        }
    }
}
