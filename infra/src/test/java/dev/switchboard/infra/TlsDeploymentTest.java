package dev.switchboard.infra;

import static dev.switchboard.infra.Synth.properties;
import static dev.switchboard.infra.Synth.toJson;
import static dev.switchboard.infra.Synth.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/** A production-shaped deployment: own domain with TLS, console on its own host, HA Redis and NAT. */
class TlsDeploymentTest {

    private static final String CERTIFICATE = "arn:aws:acm:eu-west-1:111122223333:certificate/0f0e0d0c-1111-2222-3333-444455556666";

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.of(Map.of("envName", "staging", "domainName", "sms.example.com", "certificateArn", CERTIFICATE,
                "consoleHost", "agents.example.com", "redisNodes", 2, "natGateways", "2", "switchboardMaxCount", "20",
                "switchboardImageTag", "2.3.4", "consoleImageTag", "2.3.5"));
    }

    @Test
    void servesHttpsAndRedirectsHttp() {
        synth.template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener",
                Map.of("Port", 443, "Protocol", "HTTPS", "Certificates", List.of(Map.of("CertificateArn", CERTIFICATE)),
                        "SslPolicy", Match.stringLikeRegexp("ELBSecurityPolicy-TLS13.*")));
        synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener",
                Map.of("Port", 80, "Protocol", "HTTP", "DefaultActions", List.of(Map.of("Type", "redirect",
                        "RedirectConfig", Match.objectLike(Map.of("Protocol", "HTTPS", "Port", "443"))))));
    }

    @Test
    void publicUrlIsTheDomainOverHttps() {
        assertEquals("https://sms.example.com",
                valueOf(synth.container("switchboard"), "Environment", "SWITCHBOARD_TWILIO_PUBLIC_BASE_URL"));
        assertEquals("https://sms.example.com",
                valueOf(synth.container("agent-console"), "Environment", "CONSOLE_SWITCHBOARD_URL"));
        synth.template.hasOutput("PublicBaseUrl", Map.of("Value", "https://sms.example.com"));
    }

    @Test
    void consoleHostRoutesEveryPathToTheConsole() {
        String consoleTargets = synth.single("AWS::ElasticLoadBalancingV2::TargetGroup", "Port", 8081).getKey();
        synth.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule",
                Map.of("Priority", 5, "Conditions",
                        List.of(Map.of("Field", "host-header", "HostHeaderConfig",
                                Map.of("Values", List.of("agents.example.com")))),
                        "Actions",
                        List.of(Map.of("Type", "forward", "TargetGroupArn", Map.of("Ref", consoleTargets)))));
        // Lower priorities are evaluated first: the host rule must beat every switchboard path rule.
        for (Map<String, Object> rule : synth.resources("AWS::ElasticLoadBalancingV2::ListenerRule").values()) {
            Map<String, Object> props = properties(rule);
            if (!toJson(props.get("Actions")).contains(consoleTargets)) {
                assertTrue((Integer) props.get("Priority") > 5, () -> toJson(props));
            }
        }
    }

    @Test
    void settingsReachTheTemplate() {
        synth.template.resourceCountIs("AWS::EC2::NatGateway", 2);
        synth.template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup",
                Map.of("NumCacheClusters", 2, "AutomaticFailoverEnabled", true, "MultiAZEnabled", true));
        synth.template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget",
                Map.of("MinCapacity", 2, "MaxCapacity", 20));
        assertTrue(toJson(synth.container("switchboard").get("Image")).contains("/switchboard:2.3.4"));
        assertTrue(toJson(synth.container("agent-console").get("Image")).contains("/switchboard-agent-console:2.3.5"));
        synth.single("AWS::SecretsManager::Secret", "Name", "switchboard/staging/twilio-auth-token");
        assertEquals("Switchboard-staging", synth.stack.getStackName());
    }

    @Test
    void synthesizesWithoutWarningsOrErrors() {
        Annotations annotations = Annotations.fromStack(synth.stack);
        annotations.hasNoWarning("*", Match.anyValue());
        annotations.hasNoError("*", Match.anyValue());
    }
}
