package dev.switchboard.console.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.switchboard.local.ChildJvm;
import dev.switchboard.local.JwtKeys;

/** A switchboard that does not answer: sign-in says so (503), after a few quick retries, instead of hanging. */
@QuarkusTest
@TestProfile(SwitchboardDownTest.Down.class)
class SwitchboardDownTest {

    public static class Down implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("console.switchboard-url", "http://localhost:" + ChildJvm.freePort(),
                    "mp.jwt.verify.publickey", JwtKeys.generate().publicPem(),
                    "dev.switchboard.console.session.SwitchboardLogin/login/Retry/delay", "10",
                    "dev.switchboard.console.session.SwitchboardLogin/login/Retry/jitter", "5",
                    // Nothing is scored here: spare the shared machine the model's loading.
                    "console.sentiment.load-at-startup", "false");
        }
    }

    @Test
    void answers503WhenTheSwitchboardIsDown() {
        given().contentType("application/json").body(Map.of("agent", "demo", "password", "demo-password"))
                .post("/console/api/login").then().statusCode(503).body("status", equalTo(503));
    }
}
