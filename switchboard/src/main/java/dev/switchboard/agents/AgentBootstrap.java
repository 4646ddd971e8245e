package dev.switchboard.agents;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import software.amazon.awssdk.core.exception.SdkException;

import dev.switchboard.web.ApiException;

/**
 * Creates the agents the configuration asks for at start-up: the bootstrap admin, and the demo agent of the local run.
 * Existing agents are left untouched, whatever the configuration says now.
 */
@ApplicationScoped
class AgentBootstrap {

    private static final Logger LOG = Logger.getLogger(AgentBootstrap.class);

    /** After {@code StartupResources}, which may have to create the table first. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event, AuthConfig config,
            AgentService agents) {
        config.bootstrapAdmin().name().ifPresent(name -> {
            String password = config.bootstrapAdmin().password()
                    .orElseThrow(() -> new IllegalStateException("switchboard.auth.bootstrap-admin.name is set but not"
                            + " its password (SWITCHBOARD_AUTH_BOOTSTRAP_ADMIN_PASSWORD)"));
            ensure(agents, new AgentService.NewAgent(name, password, name, List.of(Roles.ADMIN)), "bootstrap admin");
        });
        if (config.seedDemoAgent()) {
            ensure(agents, new AgentService.NewAgent(AgentService.DEMO_AGENT, AgentService.DEMO_PASSWORD, "Demo Agent",
                    List.of(Roles.AGENT)), "demo agent");
        }
    }

    /**
     * A bad setting stops the start; storage that does not answer does not, as for every other feature: the instance
     * comes up not ready, and the next start tries again.
     */
    private static void ensure(AgentService agents, AgentService.NewAgent agent, String what) {
        try {
            if (agents.createIfAbsent(agent)) {
                LOG.infof("created the %s %s", what, agent.agent());
            } else {
                LOG.debugf("the %s %s exists; left as it is", what, agent.agent());
            }
        } catch (ApiException invalid) {
            throw new IllegalStateException(
                    "the " + what + " in the configuration is unusable: " + invalid.getMessage());
        } catch (SdkException | TimeoutException e) {
            LOG.errorf("could not create the %s %s (storage unavailable): %s", what, agent.agent(), e.getMessage());
        }
    }
}
