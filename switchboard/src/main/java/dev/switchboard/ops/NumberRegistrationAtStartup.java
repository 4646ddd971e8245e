package dev.switchboard.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.switchboard.twilio.NumberRegistration;
import dev.switchboard.twilio.NumberRegistrationConfig;

/**
 * Registers the webhook URLs on the business number once the instance has started, when
 * {@code switchboard.twilio.number-registration.enabled}. In the background: a Twilio outage must not keep the instance
 * from taking webhooks, which the number may already point at.
 */
@ApplicationScoped
class NumberRegistrationAtStartup {

    private static final Logger LOG = Logger.getLogger(NumberRegistrationAtStartup.class);

    void onStart(@Observes StartupEvent event, NumberRegistrationConfig config, NumberRegistration registration) {
        if (!config.enabled()) {
            return;
        }
        var wanted = registration.wanted();
        if (wanted.isEmpty()) {
            LOG.error("switchboard.twilio.number-registration.enabled is set but neither its base-url nor"
                    + " switchboard.twilio.public-base-url is: the number's URLs were left as they are");
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                var done = registration.register(wanted.get());
                LOG.infof("business number %s now sends texts to %s (fallback %s, status callback %s)", done.sid(),
                        done.smsUrl(), done.smsFallbackUrl(), done.statusCallback());
            } catch (RuntimeException e) {
                LOG.errorf("could not register the webhook URLs on the business number: %s", e.getMessage());
            }
        }, "number-registration");
        thread.setDaemon(true);
        thread.start();
    }
}
