package dev.switchboard.console.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.console.enrich.Enrichment;
import dev.switchboard.console.testing.Browser;
import dev.switchboard.console.testing.PassThroughEnrichment;
import dev.switchboard.console.testing.SocketClient;
import dev.switchboard.console.testing.StackResource;
import dev.switchboard.console.testing.SwitchboardApi;

/**
 * An agent in headless Chromium against the whole stack (DynamoDB Local, S3Mock, Twilio stand-in, the packaged
 * switchboard, this console): signs in, goes available, answers a customer who texts in, sees the reply delivered,
 * cannot answer a customer who opted out, and keeps one copy of everything through a switchboard restart.
 */
@QuarkusTest
@QuarkusTestResource(StackResource.class)
class ConsoleBrowserTest {

    /** The first message after a fresh switchboard waits for its stream lease (10-40 s on this kind of machine). */
    private static final Duration ROUTED = Duration.ofSeconds(150);
    private static final Duration SOON = Duration.ofSeconds(20);

    @TestHTTPResource("/console/")
    URL console;

    @Inject
    Enrichment enrichment;

    @Test
    void agentAnswersCustomersFromTheBrowser() throws Exception {
        String agent = SwitchboardApi.createAgent("ann", "Ann Example");
        try (Browser browser = Browser.start(1280, 800)) {
            browser.emulate(1280, 800, false);
            signIn(browser, agent, "Ann Example");
            goAvailable(browser, 10);

            String customer = SwitchboardApi.newCustomer();
            SwitchboardApi.text(customer, "Hello, where is my parcel?");
            awaitConversation(browser, customer, ROUTED);
            browser.await("the preview and waiting time", SOON, d -> {
                WebElement item = conversationItem(browser, customer);
                return "Hello, where is my parcel?".equals(item.findElement(testId("conv-preview")).getText())
                        && item.findElement(testId("conv-waiting")).getText().startsWith("waiting");
            });
            openConversation(browser, customer);
            browser.await("the customer's message, just now", SOON,
                    d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=inbound]")).stream()
                            .anyMatch(m -> "just now".equals(m.findElement(testId("message-time")).getText())));
            // The bubble holds the text and its time, nothing else.
            assertEquals("Hello, where is my parcel?\njust now",
                    browser.css("[data-testid=message][data-direction=inbound]").get(0).getText());
            assertEquals(customer, browser.find("conversation-title").getText());

            // Live segment count as the agent types.
            WebElement reply = browser.find("composer-input");
            reply.sendKeys("Sorry for the wait!");
            assertCounter(browser, "GSM-7", "19/160", "1 segment");
            reply.sendKeys(Keys.SHIFT, Keys.ENTER);
            reply.sendKeys("It ships today.");
            assertEquals("Sorry for the wait!\nIt ships today.", reply.getAttribute("value"),
                    "Shift+Enter is a new line, not a send");
            assertCounter(browser, "GSM-7", "35/160", "1 segment");

            // Enter sends; the stand-in records it; the console shows it delivered.
            reply.sendKeys(Keys.ENTER);
            browser.await("the composer emptied", SOON, d -> reply.getAttribute("value").isEmpty());
            JsonNode sent = awaitSent(customer, "Sorry for the wait!\nIt ships today.");
            assertEquals(SwitchboardApi.BUSINESS, sent.path("from").asText());
            String status = browser.await("the reply delivered", ROUTED,
                    d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=outbound]")).stream()
                            .map(m -> m.findElement(testId("message-status")).getText())
                            .filter(s -> s.contains("delivered")).findFirst().orElse(null));
            assertTrue(status.endsWith("delivered just now"), status);

            // A photo from the customer shows as a thumbnail, loaded from its presigned link.
            SwitchboardApi.text(customer, "Here is the label", StackResource.stack().standIn().mediaUrl("sample.png"));
            browser.await("the photo's thumbnail", ROUTED,
                    d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d)
                            .executeScript("return [...document.querySelectorAll('img[data-testid=message-media]')]"
                                    + ".some(img => img.complete && img.naturalWidth > 0)"));

            segmentCounts(browser, reply);
            browser.screenshot("console-1280x800");

            // A customer who texts STOP cannot be answered, and the composer says why.
            String leaver = SwitchboardApi.newCustomer();
            SwitchboardApi.text(leaver, "Hi, quick question");
            awaitConversation(browser, leaver, ROUTED);
            SwitchboardApi.text(leaver, "STOP");
            browser.await("the opt-out badge", ROUTED, d -> {
                WebElement conversation = conversationItem(browser, leaver);
                return conversation != null && !conversation.findElements(testId("conv-optout")).isEmpty();
            });
            openConversation(browser, leaver);
            browser.await("the composer refusing", SOON, d -> !browser.find("composer-input").isEnabled());
            assertFalse(browser.find("composer-send").isEnabled());
            WebElement blocked = browser.find("composer-blocked");
            assertTrue(blocked.isDisplayed());
            assertTrue(blocked.getText().contains("opted out"), blocked.getText());
            browser.screenshot("console-1280x800-opted-out");

            // A phone-sized screen: the list and the conversation take turns.
            browser.emulate(390, 844, true);
            browser.find("back-to-list").click();
            browser.await("the list alone", SOON,
                    d -> browser.find("conversation-list").isDisplayed() && !browser.find("timeline").isDisplayed());
            browser.screenshot("console-390x844-list");
            openConversation(browser, customer);
            browser.await("the conversation alone", SOON,
                    d -> browser.find("timeline").isDisplayed() && !browser.find("conversation-list").isDisplayed());
            browser.screenshot("console-390x844-conversation");
            browser.emulate(1280, 800, false);
            assertTrue(Files.size(Browser.SCREENSHOTS.resolve("console-390x844-list.png")) > 0);

            // The switchboard restarts (a deployment): the console reconnects and the switchboard resends everything;
            // the page keeps one copy of each conversation and message.
            int messagesBefore = browser.all("message").size();
            StackResource.stack().stopSwitchboard();
            browser.await("the reconnecting banner", SOON, d -> browser.find("connection-banner").isDisplayed()
                    && browser.find("connection-banner").getText().contains("retrying"));
            StackResource.stack().startSwitchboard();
            browser.await("the banner gone", Duration.ofSeconds(60),
                    d -> !browser.find("connection-banner").isDisplayed());
            browser.await("the resent conversations", SOON,
                    d -> conversationItem(browser, customer) != null && conversationItem(browser, leaver) != null);
            assertEquals(1, browser.css("[data-testid=conversation-item][data-customer='" + customer + "']").size());
            assertEquals(1, browser.css("[data-testid=conversation-item][data-customer='" + leaver + "']").size());
            assertEquals(messagesBefore, browser.all("message").size(), "no message shown twice");
            assertEquals("true", browser.find("availability-toggle").getAttribute("aria-pressed"));

            // A refused command is shown without losing anything: nobody called "nobody" is available.
            openConversation(browser, customer);
            browser.find("transfer-input").sendKeys("nobody");
            browser.find("transfer-button").click();
            WebElement refusal = browser.await("the refusal", SOON, d -> browser.all("error-notice").stream()
                    .filter(n -> n.getText().contains("agent_unavailable")).findFirst().orElse(null));
            assertTrue(refusal.isDisplayed());
            assertTrue(conversationItem(browser, customer) != null, "still Ann's");

            // Transfer to an available colleague (connected here without a browser); resolve the other one.
            String bob = SwitchboardApi.createAgent("bob", "Bob Example");
            String root = console.toString().replaceFirst("console/$", "");
            String bobCookie = "console_token=" + io.restassured.RestAssured.given().contentType("application/json")
                    .body(java.util.Map.of("agent", bob, "password", bob + "-password")).post("/console/api/login")
                    .then().statusCode(200).extract().cookie("console_token");
            SocketClient colleague = SocketClient.open(root, root.replaceFirst("/$", ""), bobCookie).get();
            colleague.await("presence", f -> true, SOON);
            colleague.send(java.util.Map.of("type", "available", "capacity", 5));
            colleague.await("presence", f -> "available".equals(f.path("presence").asText()), SOON);
            browser.find("transfer-input").sendKeys(bob);
            browser.find("transfer-button").click();
            browser.await("the conversation gone to Bob", SOON, d -> conversationItem(browser, customer) == null);
            colleague.await("assigned", f -> customer.equals(f.path("customer").asText()), SOON);
            colleague.close();

            openConversation(browser, leaver);
            browser.find("resolve-button").click();
            browser.await("the resolved conversation gone", SOON, d -> conversationItem(browser, leaver) == null);
            assertTrue(browser.all("info-notice").stream().anyMatch(n -> n.getText().contains("resolved")));
        }
    }

    @Test
    void negativeMessagesShowTheirSentimentAndTheTrend() {
        Assumptions.assumeFalse(ClientProxy.unwrap(enrichment) instanceof PassThroughEnrichment,
                "no Enrichment bean in this build yet: the test-only pass-through scores nothing");
        String agent = SwitchboardApi.createAgent("sam", "Sam Example");
        try (Browser browser = Browser.start(1280, 800)) {
            signIn(browser, agent, "Sam Example");
            goAvailable(browser, 10);
            String customer = SwitchboardApi.newCustomer();
            SwitchboardApi.text(customer, "This is terrible. I am furious and very disappointed.");
            awaitConversation(browser, customer, ROUTED);
            openConversation(browser, customer);
            SwitchboardApi.text(customer, "Awful service, the worst I have ever had. I hate this.");
            SwitchboardApi.text(customer, "Still nothing. This is a horrible, useless experience.");
            WebElement icon = browser.await("a negative sentiment icon", ROUTED,
                    d -> d.findElements(testId("message-sentiment")).stream()
                            .filter(i -> Set.of("negative", "very negative").contains(i.getAttribute("data-sentiment")))
                            .findFirst().orElse(null));
            assertTrue(Set.of("negative", "very negative").contains(icon.getAttribute("aria-label")));
            browser.await("the conversation flagged as trending negative", ROUTED, d -> {
                WebElement conversation = conversationItem(browser, customer);
                return conversation != null && conversation.getAttribute("class").contains("negative") && !conversation
                        .findElements(By.cssSelector("[data-testid=conv-trend][data-negative=true]")).isEmpty();
            });
            browser.screenshot("console-1280x800-sentiment");
        }
    }

    private void signIn(Browser browser, String agent, String displayName) {
        browser.open(console.toString());
        browser.await("the sign-in form", SOON, d -> browser.find("login-form").isDisplayed());
        browser.find("login-agent").sendKeys(agent);
        browser.find("login-password").sendKeys("wrong-password");
        browser.find("login-submit").click();
        browser.await("the refusal", SOON, d -> !browser.find("login-error").getText().isEmpty());
        browser.find("login-password").clear();
        browser.find("login-password").sendKeys(agent + "-password", Keys.ENTER);
        browser.await("the agent's name in the header", SOON,
                d -> displayName.equals(browser.find("header-agent").getText()));
    }

    private void goAvailable(Browser browser, int capacity) {
        WebElement field = browser.find("capacity-input");
        // The presence frame after connecting fills the field in; wait for it before typing over it.
        browser.await("the presence", SOON,
                d -> "true".equals(browser.find("availability-toggle").getAttribute("data-known")));
        field.clear();
        field.sendKeys(String.valueOf(capacity));
        browser.find("availability-toggle").click();
        browser.await("available", SOON,
                d -> "true".equals(browser.find("availability-toggle").getAttribute("aria-pressed")));
    }

    private static WebElement awaitConversation(Browser browser, String customer, Duration timeout) {
        return browser.await("the conversation with " + customer, timeout, d -> conversationItem(browser, customer));
    }

    private static WebElement conversationItem(Browser browser, String customer) {
        List<WebElement> items = browser.css("[data-testid=conversation-item][data-customer='" + customer + "']");
        return items.isEmpty() ? null : items.get(0);
    }

    private static void openConversation(Browser browser, String customer) {
        browser.await("opening " + customer, SOON, d -> {
            WebElement item = conversationItem(browser, customer);
            if (item == null) {
                return false;
            }
            item.findElement(By.tagName("button")).click();
            return true;
        });
    }

    private static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    private static void assertCounter(Browser browser, String encoding, String chars, String segments) {
        browser.await(encoding + " " + chars + " " + segments, SOON,
                d -> encoding.equals(browser.find("composer-encoding").getText())
                        && chars.equals(browser.find("composer-chars").getText())
                        && segments.equals(browser.find("composer-segments").getText()));
    }

    /** GSM-7 against UCS-2, the escape characters, part sizes and the long-message warning. */
    private static void segmentCounts(Browser browser, WebElement reply) {
        reply.sendKeys("Price: 10€ [approx]");
        // € [ ] are escape characters: two septets each.
        assertCounter(browser, "GSM-7", "22/160", "1 segment");
        assertFalse(browser.find("composer-warning").isDisplayed());
        // (ChromeDriver types only the Basic Multilingual Plane.)
        setReply(browser, "Price: 10€ [approx] 😊");
        // One emoji makes it UCS-2: UTF-16 code units, the emoji counting two.
        assertCounter(browser, "UCS-2", "22/70", "1 segment");
        setReply(browser, "a".repeat(160));
        assertCounter(browser, "GSM-7", "160/160", "1 segment");
        setReply(browser, "a".repeat(161));
        assertCounter(browser, "GSM-7", "161 (153 per part)", "2 segments");
        setReply(browser, "é".repeat(71));
        assertCounter(browser, "GSM-7", "71/160", "1 segment");
        setReply(browser, "ł".repeat(71));
        assertCounter(browser, "UCS-2", "71 (67 per part)", "2 segments");
        setReply(browser, "a".repeat(153 * 10));
        assertCounter(browser, "GSM-7", "1530 (153 per part)", "10 segments");
        assertFalse(browser.find("composer-warning").isDisplayed());
        setReply(browser, "a".repeat(153 * 10 + 1));
        assertCounter(browser, "GSM-7", "1531 (153 per part)", "11 segments");
        assertTrue(browser.find("composer-warning").isDisplayed());
        setReply(browser, "");
    }

    private static void setReply(Browser browser, String text) {
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                browser.find("composer-input"), text);
    }

    private static JsonNode awaitSent(String customer, String body) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode message : SwitchboardApi.sentTo(customer)) {
                if (body.equals(message.path("body").asText())) {
                    return message;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the stand-in never got the reply to " + customer);
    }
}
