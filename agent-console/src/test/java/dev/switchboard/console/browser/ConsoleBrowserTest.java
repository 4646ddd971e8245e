package dev.switchboard.console.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.switchboard.console.testing.Browser;
import dev.switchboard.console.testing.SocketClient;
import dev.switchboard.console.testing.StackResource;
import dev.switchboard.console.testing.SwitchboardApi;

/**
 * An agent in headless Chromium against the whole stack (DynamoDB Local, S3Mock, Twilio stand-in, the packaged
 * switchboard, this console with its real sentiment enrichment), and a customer on the stand-in's dev phone in a second
 * browser: the customer texts, the agent sees it scored and answers, the phone gets the reply and the console shows it
 * delivered; angry texts show as negative; a customer who opted out cannot be answered; everything is kept once through
 * a switchboard restart.
 */
@QuarkusTest
@QuarkusTestResource(StackResource.class)
class ConsoleBrowserTest {

    /** The first message after a fresh switchboard waits for its stream lease (10-40 s on this kind of machine). */
    private static final Duration ROUTED = Duration.ofSeconds(150);
    private static final Duration SOON = Duration.ofSeconds(20);
    /** A score waits for the model (loaded in the background at start-up) and a worker. */
    private static final Duration SCORED = Duration.ofSeconds(60);
    private static final Set<String> SENTIMENTS = Set.of("very negative", "negative", "neutral", "positive",
            "very positive");
    private static final Set<String> NEGATIVE = Set.of("negative", "very negative");
    /** A 1×1 PNG, for pictures dropped and pasted onto the composer. */
    private static final String TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    /** The agent's browser and the customer's phone, shared by the tests (each signs its own agent in). */
    private static Browser agentBrowser;
    private static Browser phone;

    @TestHTTPResource("/console/")
    URL console;

    @BeforeAll
    static void startBrowsers() {
        agentBrowser = Browser.start(1280, 800);
        phone = Browser.start(390, 844);
        phone.emulate(390, 844, true);
        phone.open(StackResource.stack().phoneUrl());
        phone.await("the dev phone", SOON,
                d -> SwitchboardApi.BUSINESS.equals(phone.find("phone-business-number").getText()));
    }

    @AfterAll
    static void closeBrowsers() {
        if (agentBrowser != null) {
            agentBrowser.close();
        }
        if (phone != null) {
            phone.close();
        }
    }

    @Test
    void agentAnswersACustomerTextingFromTheDevPhone() throws Exception {
        Browser browser = agentBrowser;
        String agent = SwitchboardApi.createAgent("ann", "Ann Example");
        browser.emulate(1280, 800, false);
        signIn(browser, agent, "Ann Example");
        goAvailable(browser, 10);

        String customer = SwitchboardApi.newCustomer();
        phoneText(customer, "Hello, where is my parcel?");
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
        // Read inside the wait: a frame may re-render the face between finding it and reading it.
        List<String> face = browser.await("the message's sentiment", SCORED,
                d -> d.findElements(By.cssSelector(
                        "[data-testid=message][data-direction=inbound] " + "[data-testid=message-sentiment]")).stream()
                        .map(f -> List.of(f.getAttribute("data-sentiment"), f.getAttribute("aria-label"),
                                f.getAttribute("title")))
                        .findFirst().orElse(null));
        String sentiment = face.get(0);
        assertTrue(SENTIMENTS.contains(sentiment), sentiment);
        assertEquals(sentiment, face.get(1));
        assertEquals(sentiment, face.get(2));
        // The bubble holds the text and its time, nothing else (the face is a picture).
        assertEquals("Hello, where is my parcel?\njust now",
                browser.css("[data-testid=message][data-direction=inbound]").get(0).getText());
        assertEquals(customer, browser.find("conversation-title").getText());
        assertFalse(conversationItem(browser, customer).getAttribute("class").contains("negative"),
                "one message is no trend");

        // Live segment count as the agent types.
        WebElement reply = browser.find("composer-input");
        reply.sendKeys("Sorry for the wait!");
        assertCounter(browser, "GSM-7", "19/160", "1 segment");
        reply.sendKeys(Keys.SHIFT, Keys.ENTER);
        reply.sendKeys("It ships today.");
        assertEquals("Sorry for the wait!\nIt ships today.", reply.getAttribute("value"),
                "Shift+Enter is a new line, not a send");
        assertCounter(browser, "GSM-7", "35/160", "1 segment");

        // Enter sends; the customer's phone gets it from the business number; the console shows it delivered.
        reply.sendKeys(Keys.ENTER);
        browser.await("the composer emptied", SOON, d -> reply.getAttribute("value").isEmpty());
        WebElement onThePhone = phone.await("the reply on the phone", ROUTED,
                d -> outboundOnPhone("Sorry for the wait!\nIt ships today."));
        phone.await("the reply delivered to the phone", SOON,
                d -> "delivered".equals(onThePhone.getAttribute("data-status")));
        assertTrue(onThePhone.findElement(testId("phone-message-status")).getText().startsWith("Business"),
                onThePhone.getText());
        JsonNode sent = awaitSent(customer, "Sorry for the wait!\nIt ships today.");
        assertEquals(SwitchboardApi.BUSINESS, sent.path("from").asText());
        String status = browser.await("the reply delivered", ROUTED,
                d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=outbound]")).stream()
                        .map(m -> m.findElement(testId("message-status")).getText())
                        .filter(s -> s.contains("delivered")).findFirst().orElse(null));
        assertTrue(status.endsWith("delivered just now"), status);
        phone.screenshot("phone-390x844");

        // A photo from the phone shows as a thumbnail, loaded from its presigned link.
        phoneText(customer, "Here is the label", samplePicture());
        browser.await("the photo's thumbnail", ROUTED,
                d -> (Boolean) ((JavascriptExecutor) d)
                        .executeScript("return [...document.querySelectorAll('img[data-testid=message-media]')]"
                                + ".some(img => img.complete && img.naturalWidth > 0)"));

        segmentCounts(browser, reply);
        browser.screenshot("console-1280x800");

        // A customer who texts STOP cannot be answered, and the composer says why.
        String leaver = SwitchboardApi.newCustomer();
        phoneText(leaver, "Hi, quick question");
        awaitConversation(browser, leaver, ROUTED);
        phoneText(leaver, "STOP");
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
        phone.screenshot("phone-390x844-stop");

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
        // the page keeps one copy of each conversation and message, with their sentiment.
        int messagesBefore = browser.all("message").size();
        int facesBefore = browser.all("message-sentiment").size();
        StackResource.stack().stopSwitchboard();
        browser.await("the reconnecting banner", SOON, d -> browser.find("connection-banner").isDisplayed()
                && browser.find("connection-banner").getText().contains("retrying"));
        StackResource.stack().startSwitchboard();
        browser.await("the banner gone", Duration.ofSeconds(60), d -> !browser.find("connection-banner").isDisplayed());
        browser.await("the resent conversations", SOON,
                d -> conversationItem(browser, customer) != null && conversationItem(browser, leaver) != null);
        assertEquals(1, browser.css("[data-testid=conversation-item][data-customer='" + customer + "']").size());
        assertEquals(1, browser.css("[data-testid=conversation-item][data-customer='" + leaver + "']").size());
        assertEquals(messagesBefore, browser.all("message").size(), "no message shown twice");
        assertEquals(facesBefore, browser.all("message-sentiment").size(), "the scores kept");
        assertEquals("true", browser.find("availability-toggle").getAttribute("aria-pressed"));

        // A refused command is shown without losing anything: nobody called "nobody" is available.
        openConversation(browser, customer);
        browser.find("transfer-input").sendKeys("nobody");
        browser.find("transfer-button").click();
        WebElement refusal = browser.await("the refusal", SOON, d -> browser.all("error-notice").stream()
                .filter(n -> n.getText().contains("agent_unavailable")).findFirst().orElse(null));
        assertTrue(refusal.isDisplayed());
        assertTrue(refusal.getText().contains("no such agent"), refusal.getText());
        assertEquals("nobody", browser.find("transfer-input").getAttribute("value"), "the choice is kept");
        assertTrue(conversationItem(browser, customer) != null, "still Ann's");

        // Transfer to an available colleague (connected here without a browser); resolve the other one.
        String bob = SwitchboardApi.createAgent("bob", "Bob Example");
        String root = console.toString().replaceFirst("console/$", "");
        String bobCookie = "console_token=" + io.restassured.RestAssured.given().contentType("application/json")
                .body(java.util.Map.of("agent", bob, "password", bob + "-password")).post("/console/api/login").then()
                .statusCode(200).extract().cookie("console_token");
        SocketClient colleague = SocketClient.open(root, root.replaceFirst("/$", ""), bobCookie).get();
        try {
            colleague.await("presence", f -> true, SOON);
            colleague.send(java.util.Map.of("type", "available", "capacity", 5));
            colleague.await("presence", f -> "available".equals(f.path("presence").asText()), SOON);
            // The picker offers Bob, who has room.
            browser.find("transfer-input").clear();
            browser.find("transfer-input").click();
            browser.await("Bob in the transfer picker", SOON,
                    d -> browser.all("transfer-option").stream().anyMatch(o -> bob.equals(o.getAttribute("value"))
                            && o.getAttribute("label").startsWith("Bob Example · 5 free")));
            browser.find("transfer-input").sendKeys(bob);
            browser.find("transfer-button").click();
            browser.await("the conversation gone to Bob", SOON, d -> conversationItem(browser, customer) == null);
            colleague.await("assigned", f -> customer.equals(f.path("customer").asText()), SOON);
            // Bob takes nothing more: the next test's customers are its own agent's.
            colleague.send(java.util.Map.of("type", "away"));
            colleague.await("presence", f -> "away".equals(f.path("presence").asText()), SOON);
        } finally {
            colleague.close();
        }

        openConversation(browser, leaver);
        browser.find("resolve-button").click();
        browser.await("the resolved conversation gone", SOON, d -> conversationItem(browser, leaver) == null);
        assertTrue(browser.all("info-notice").stream().anyMatch(n -> n.getText().contains("resolved")));
        goAwayAndSignOut(browser);
    }

    @Test
    void angryTextsFromThePhoneShowNegativeAndTheConversationIsFlagged() {
        Browser browser = agentBrowser;
        String agent = SwitchboardApi.createAgent("sam", "Sam Example");
        browser.emulate(1280, 800, false);
        signIn(browser, agent, "Sam Example");
        goAvailable(browser, 10);
        String customer = SwitchboardApi.newCustomer();
        phoneText(customer, "This is terrible. I am furious and very disappointed.");
        awaitConversation(browser, customer, ROUTED);
        openConversation(browser, customer);
        phoneText(customer, "Awful service, the worst I have ever had. I hate this.");
        phoneText(customer, "Still nothing. This is a horrible, useless experience.");
        browser.await("the three texts", ROUTED,
                d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=inbound]")).size() == 3);
        // Attributes are read inside the waits: frames re-render these nodes, and a stale one is simply read again.
        List<String> icon = browser.await("a negative sentiment icon", SCORED,
                d -> d.findElements(testId("message-sentiment")).stream()
                        .filter(i -> NEGATIVE.contains(i.getAttribute("data-sentiment")))
                        .map(i -> List.of(i.getAttribute("aria-label"), i.getAttribute("title"))).findFirst()
                        .orElse(null));
        assertTrue(NEGATIVE.contains(icon.get(0)), icon.get(0));
        assertTrue(NEGATIVE.contains(icon.get(1)), icon.get(1));
        String trend = browser.await("the conversation flagged as trending negative", SCORED, d -> {
            WebElement conversation = conversationItem(browser, customer);
            return conversation == null || !conversation.getAttribute("class").contains("negative") ? null
                    : conversation.findElements(By.cssSelector("[data-testid=conv-trend][data-negative=true]")).stream()
                            .map(t -> t.getAttribute("aria-label")).findFirst().orElse(null);
        });
        assertEquals("sentiment trending negative", trend);
        browser.screenshot("console-1280x800-negative");
        phone.screenshot("phone-390x844-negative");
        goAwayAndSignOut(browser);
    }

    /**
     * Pictures: the agent attaches one through the file input, sees its thumbnail and the MMS note on the counter,
     * sends it with a text; the dev phone shows the picture it received, the stand-in's MediaUrl fetches the same
     * bytes, and the timeline shows it as inbound media are shown. Dropped and pasted pictures get previews too, and a
     * preview can be removed before sending.
     */
    @Test
    void agentSendsAPictureThePhoneShows() throws Exception {
        Browser browser = agentBrowser;
        String agent = SwitchboardApi.createAgent("pia", "Pia Example");
        browser.emulate(1280, 800, false);
        signIn(browser, agent, "Pia Example");
        goAvailable(browser, 10);
        String customer = SwitchboardApi.newCustomer();
        phoneText(customer, "Where is the serial number?");
        awaitConversation(browser, customer, ROUTED);
        openConversation(browser, customer);

        Path picture = samplePicture();
        byte[] bytes = Files.readAllBytes(picture);
        browser.find("attach-input").sendKeys(picture.toAbsolutePath().toString());
        browser.await("the uploaded picture's thumbnail", SOON,
                d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                        "const a = document.querySelectorAll('[data-testid=attachment][data-state=ready]');"
                                + "return a.length === 1 && a[0].querySelector('img').naturalWidth > 0;"));
        WebElement mms = browser.find("composer-mms");
        assertTrue(mms.isDisplayed());
        assertTrue(mms.getText().contains("MMS · billed as a picture message"), mms.getText());
        assertFalse(browser.find("composer-segments").isDisplayed(), "an MMS is not billed per segment");
        browser.screenshot("console-1280x800-picture-preview");

        WebElement reply = browser.find("composer-input");
        reply.sendKeys("It is on the back, here:");
        reply.sendKeys(Keys.ENTER);
        browser.await("the composer emptied", SOON,
                d -> reply.getAttribute("value").isEmpty() && browser.all("attachment").isEmpty());
        assertFalse(browser.find("composer-mms").isDisplayed());

        // The customer's phone shows the picture it received.
        WebElement onThePhone = phone.await("the picture on the phone", ROUTED,
                d -> outboundOnPhone("It is on the back, here:"));
        phone.await("the picture loaded on the phone", SOON,
                d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                        "return [...arguments[0].querySelectorAll('img[data-testid=phone-message-media]')]"
                                + ".some(img => img.complete && img.naturalWidth > 0)",
                        onThePhone));
        phone.screenshot("phone-390x844-picture");
        // What Twilio was given to fetch is the picture the agent attached.
        JsonNode sent = awaitSent(customer, "It is on the back, here:");
        assertEquals(1, sent.path("mediaUrls").size());
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(sent.path("mediaUrls").get(0).asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertTrue(java.util.Arrays.equals(bytes, fetched.body()), "the same bytes");

        // The timeline shows it as it shows a customer's picture.
        browser.await("the sent picture in the timeline", SOON, d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("return [...document.querySelectorAll('[data-testid=message][data-direction=outbound]"
                        + " img[data-testid=message-media]')].some(img => img.complete && img.naturalWidth > 0)"));
        browser.screenshot("console-1280x800-picture-sent");

        // Dropped on the composer and pasted into it: previews too, each removable before sending.
        ((JavascriptExecutor) browser.driver()).executeScript("const png = Uint8Array.from(atob(arguments[0]),"
                + " c => c.charCodeAt(0));" + "const files = n => { const t = new DataTransfer();"
                + " t.items.add(new File([png], n, { type: 'image/png' })); return t; };"
                + "document.getElementById('composer').dispatchEvent(new DragEvent('drop',"
                + " { dataTransfer: files('dropped.png'), bubbles: true, cancelable: true }));"
                + "document.getElementById('reply').dispatchEvent(new ClipboardEvent('paste',"
                + " { clipboardData: files('pasted.png'), bubbles: true, cancelable: true }));", TINY_PNG);
        browser.await("two more thumbnails", SOON,
                d -> browser.css("[data-testid=attachment][data-state=ready]").size() == 2);
        browser.emulate(390, 844, true);
        browser.screenshot("console-390x844-picture-preview");
        browser.emulate(1280, 800, false);
        browser.all("attachment-remove").get(0).click();
        browser.await("one thumbnail left", SOON, d -> browser.all("attachment").size() == 1);
        browser.find("attachment-remove").click();
        browser.await("no thumbnail left", SOON, d -> !browser.find("attachments").isDisplayed());
        assertFalse(browser.find("composer-mms").isDisplayed());
        assertEquals(1, SwitchboardApi.sentTo(customer).size(), "removed pictures are never sent");
        goAwayAndSignOut(browser);
    }

    /**
     * The agent's everyday tools: a contact name and notes, a canned reply picked with "/" and filled in, a draft and
     * the open conversation kept through a reload, the reply limit before sending, notices clear of Send, keyboard
     * shortcuts, the hidden tab's title count, and relative times as the console service re-sends them.
     */
    @Test
    void cannedRepliesContactsAndComfort() throws Exception {
        Browser browser = agentBrowser;
        String shortcut = "thanks-" + Long.toString(System.nanoTime(), 36);
        String cannedId = SwitchboardApi.createCannedReply(shortcut,
                "Thanks {{customer.name}}, this is {{agent.name}}.");
        try {
            String agent = SwitchboardApi.createAgent("tia", "Tia Example");
            browser.emulate(1280, 800, false);
            signIn(browser, agent, "Tia Example");
            goAvailable(browser, 10);
            String customer = SwitchboardApi.newCustomer();
            phoneText(customer, "Hi, is my order on its way?");
            awaitConversation(browser, customer, ROUTED);
            openConversation(browser, customer);

            // The time is the console service's label; the tooltip has the absolute time.
            List<String> time = browser.await("the message's time", SOON,
                    d -> d.findElements(By.cssSelector(
                            "[data-testid=message][data-direction=inbound] " + "[data-testid=message-time]")).stream()
                            .map(t -> List.of(t.getText(), t.getAttribute("title"))).findFirst().orElse(null));
            assertEquals("just now", time.get(0));
            assertTrue(time.get(1).matches(".*\\d.*") && !time.get(1).contains("ago"), time.get(1));

            // A name and notes for the customer: header, list and notes show them.
            browser.find("contact-edit").click();
            browser.await("the contact form", SOON, d -> browser.find("contact-form").isDisplayed());
            browser.find("contact-name").sendKeys("Grace Hopper");
            browser.find("contact-notes").sendKeys("Prefers texts in the morning.");
            browser.find("contact-save").click();
            browser.await("the name in the header", SOON,
                    d -> "Grace Hopper".equals(browser.find("conversation-title").getText()));
            assertEquals(customer, browser.find("conversation-number").getText());
            assertEquals("Prefers texts in the morning.", browser.find("contact-notes-view").getText());
            browser.await("the name in the list", SOON, d -> conversationItem(browser, customer)
                    .findElement(testId("conv-customer")).getText().startsWith("Grace Hopper"));
            browser.screenshot("console-1280x800-contact");

            // "/" opens the picker, filtered by what follows; Enter puts the reply in with the names filled in.
            WebElement reply = browser.find("composer-input");
            reply.sendKeys("/" + shortcut.substring(0, 9));
            browser.await("the canned reply offered", SOON, d -> browser.find("canned-picker").isDisplayed()
                    && browser.css("[data-testid=canned-option][data-shortcut='" + shortcut + "']").size() == 1);
            browser.screenshot("console-1280x800-canned");
            reply.sendKeys("zzz-none");
            browser.await("nothing matching", SOON, d -> !browser.all("canned-none").isEmpty());
            for (int i = 0; i < "zzz-none".length(); i++) {
                reply.sendKeys(Keys.BACK_SPACE);
            }
            browser.await("the canned reply offered again", SOON,
                    d -> browser.css("[data-testid=canned-option][data-shortcut='" + shortcut + "']").size() == 1);
            browser.css("[data-testid=canned-option][data-shortcut='" + shortcut + "']").get(0).click();
            browser.await("the reply filled in", SOON,
                    d -> "Thanks Grace Hopper, this is Tia Example.".equals(reply.getAttribute("value"))
                            && !browser.find("canned-picker").isDisplayed());
            reply.sendKeys(" See you!");
            assertEquals("Thanks Grace Hopper, this is Tia Example. See you!", reply.getAttribute("value"),
                    "still editable");

            // A reload keeps the open conversation and its draft.
            browser.open(console.toString());
            browser.await("the conversation open again", ROUTED, d -> browser.find("conversation-title").isDisplayed()
                    && "Grace Hopper".equals(browser.find("conversation-title").getText()));
            browser.await("the draft back", SOON, d -> "Thanks Grace Hopper, this is Tia Example. See you!"
                    .equals(browser.find("composer-input").getAttribute("value")));

            // The limit is shown before sending; past it Send is off.
            setReply(browser, "a".repeat(1600));
            assertEquals("1600/1600 characters", browser.find("composer-limit").getText());
            assertTrue(browser.find("composer-send").isEnabled());
            setReply(browser, "a".repeat(1601));
            browser.await("too long", SOON, d -> browser.find("composer-limit").getText().contains("too long"));
            assertFalse(browser.find("composer-send").isEnabled());
            setReply(browser, "");

            // A notice never covers Send, on either screen.
            browser.find("transfer-button").click();
            browser.await("a notice", SOON, d -> !browser.all("error-notice").isEmpty());
            assertFalse(overlaps(browser, "notices", "composer-send"), "the notice covers Send");
            browser.emulate(390, 844, true);
            browser.await("the phone layout", SOON, d -> browser.find("back-to-list").isDisplayed());
            browser.find("transfer-button").click();
            assertFalse(overlaps(browser, "notices", "composer-send"), "the notice covers Send on a phone");
            browser.screenshot("console-390x844-contact");
            setReply(browser, "/");
            browser.await("the picker on a phone", SOON, d -> browser.find("canned-picker").isDisplayed());
            browser.screenshot("console-390x844-canned");
            browser.find("composer-input").sendKeys(Keys.ESCAPE);
            setReply(browser, "");
            browser.emulate(1280, 800, false);

            // Shortcuts: "?" lists them, j/k move between conversations, r focuses the reply.
            String second = SwitchboardApi.newCustomer();
            phoneText(second, "Another question");
            awaitConversation(browser, second, ROUTED);
            blur(browser);
            new Actions(browser.driver()).sendKeys("?").perform();
            browser.await("the shortcuts", SOON, d -> browser.find("shortcuts-dialog").isDisplayed());
            browser.screenshot("console-1280x800-shortcuts");
            browser.find("shortcuts-close").click();
            String before = browser.find("conversation-title").getText();
            blur(browser);
            new Actions(browser.driver()).sendKeys("j").perform();
            browser.await("the other conversation", SOON,
                    d -> !before.equals(browser.find("conversation-title").getText()));
            new Actions(browser.driver()).sendKeys("k").perform();
            browser.await("back again", SOON, d -> before.equals(browser.find("conversation-title").getText()));
            // j and k leave the focus where it was, so they can be pressed again; r moves it to the reply.
            new Actions(browser.driver()).sendKeys("r").perform();
            assertEquals("reply", browser.find("composer-input").getAttribute("id"));
            assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser.driver())
                    .executeScript("return document.activeElement === document.getElementById('reply')"));

            // While the tab is hidden, new texts count in the title; showing it clears the count.
            JavascriptExecutor js = (JavascriptExecutor) browser.driver();
            js.executeScript("Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});");
            phoneText(second, "Hello? Anyone there?");
            browser.await("the count in the title", ROUTED, d -> browser.driver().getTitle().startsWith("(1) "));
            js.executeScript("delete document.hidden; document.dispatchEvent(new Event('visibilitychange'));");
            browser.await("the title cleared", SOON, d -> !browser.driver().getTitle().startsWith("("));

            // The newest message stays in view while a picture loads below it (a short timeline, so that it scrolls).
            // From the second customer: the dev phone is on their thread.
            openConversation(browser, second);
            browser.await("the conversation", SOON, d -> second.equals(browser.find("conversation-title").getText()));
            js.executeScript("const t = document.getElementById('timeline'); t.style.flex = 'none';"
                    + "t.style.height = '140px'; t.scrollTop = t.scrollHeight;");
            phoneText(second, "Here is the label", samplePicture());
            browser.await("the picture loaded", ROUTED, d -> (Boolean) js.executeScript(
                    "return [...document.querySelectorAll('#timeline img')].some(i => i.complete && i.naturalHeight > 0)"));
            browser.await("the timeline pinned to the newest message", SOON,
                    d -> (Boolean) js.executeScript("const t = document.getElementById('timeline');"
                            + "return t.scrollHeight > t.clientHeight + 100 && t.scrollHeight - t.scrollTop - t.clientHeight < 2;"));
            js.executeScript("const t = document.getElementById('timeline'); t.style.flex = ''; t.style.height = '';");
            openConversation(browser, customer);

            // A minute on, the label the service re-sends replaces "just now" (the page keeps no clock of its own).
            browser.await("the first message a minute old", Duration.ofSeconds(120),
                    d -> d.findElements(
                            By.cssSelector("[data-testid=message][data-direction=inbound] [data-testid=message-time]"))
                            .stream().findFirst()
                            .map(t -> t.getText().endsWith("minute ago") || t.getText().endsWith("minutes ago"))
                            .orElse(false));
            goAwayAndSignOut(browser);
        } finally {
            SwitchboardApi.deleteCannedReply(cannedId);
        }
    }

    /**
     * A private note stands out in the timeline and never reaches the phone (a reply sent after it does); opening a
     * conversation clears its unread count on the switchboard; a reply that failed shows Retry and, pressed, reaches
     * the phone as a new attempt while the failed one stays.
     */
    @Test
    void privateNotesReadStateAndRetry() throws Exception {
        Browser browser = agentBrowser;
        String agent = SwitchboardApi.createAgent("noa", "Noa Example");
        browser.emulate(1280, 800, false);
        signIn(browser, agent, "Noa Example");
        goAvailable(browser, 10);
        String customer = SwitchboardApi.newCustomer();
        try {
            phoneText(customer, "Is anyone reading these?");
            awaitConversation(browser, customer, ROUTED);
            browser.await("the unread badge", SOON, d -> conversationItem(browser, customer)
                    .findElements(testId("conv-unread")).stream().anyMatch(b -> "1".equals(b.getText())));

            // Opening it reads it: the badge goes, and so does the switchboard's count.
            openConversation(browser, customer);
            browser.await("no badge", SOON,
                    d -> conversationItem(browser, customer).findElements(testId("conv-unread")).isEmpty());
            browser.await("unread 0 on the switchboard", SOON, d -> {
                JsonNode summary = SwitchboardApi.conversation(customer, "assigned");
                return summary != null && summary.path("unread").asInt(-1) == 0;
            });

            // A note: written in the same composer, which says it is one; shown unmistakably as one.
            browser.find("note-toggle").click();
            browser.await("the composer in note mode", SOON,
                    d -> "note".equals(browser.find("composer").getAttribute("data-mode"))
                            && "Add note".equals(browser.find("composer-send").getText()));
            WebElement reply = browser.find("composer-input");
            reply.sendKeys("Long-time customer, offer free shipping.", Keys.ENTER);
            WebElement note = browser.await("the note in the timeline", SOON,
                    d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=note]")).stream()
                            .findFirst().orElse(null));
            assertTrue(note.findElement(testId("note-label")).getText().startsWith("PRIVATE NOTE"),
                    note.findElement(testId("note-label")).getText());
            assertEquals("Long-time customer, offer free shipping.",
                    note.findElement(testId("message-body")).getText());
            assertTrue(note.getAttribute("class").contains("note"));
            browser.screenshot("console-1280x800-note");
            browser.emulate(390, 844, true);
            browser.await("the conversation on a phone-sized screen", SOON,
                    d -> browser.find("timeline").isDisplayed());
            browser.screenshot("console-390x844-note");
            browser.emulate(1280, 800, false);

            // Positive control: a reply after the note reaches the phone; the note never does.
            browser.find("note-toggle").click();
            browser.await("the composer back to replies", SOON,
                    d -> "Send".equals(browser.find("composer-send").getText()));
            reply.sendKeys("Yes! We are here.", Keys.ENTER);
            phone.await("the reply on the phone", ROUTED, d -> outboundOnPhone("Yes! We are here."));
            assertEquals(null, outboundOnPhone("Long-time customer, offer free shipping."));
            for (JsonNode sent : SwitchboardApi.sentTo(customer)) {
                assertFalse(sent.path("body").asText().contains("free shipping"), sent.toString());
            }

            // A reply to a number that fails: Retry, once it no longer fails, sends it again.
            StackResource.stack().standIn().failing().add(customer);
            reply.sendKeys("Your refund is on its way.", Keys.ENTER);
            WebElement retry = browser.await("Retry on the failed reply", ROUTED,
                    d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=outbound]")).stream()
                            .filter(m -> m.getText().startsWith("Your refund is on its way."))
                            .flatMap(m -> m.findElements(testId("message-retry")).stream()).findFirst().orElse(null));
            browser.screenshot("console-1280x800-retry");
            StackResource.stack().standIn().failing().remove(customer);
            retry.click();
            browser.await("the failed one marked as sent again", SOON, d -> !browser.all("message-retried").isEmpty());
            browser.await("the new attempt delivered", ROUTED,
                    d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=outbound]")).stream()
                            .filter(m -> m.getText().startsWith("Your refund is on its way."))
                            .anyMatch(m -> m.findElements(testId("message-status")).stream()
                                    .anyMatch(st -> "delivered".equals(st.getAttribute("data-status")))));
            List<String> statuses = browser.await("both attempts in the timeline", SOON, d -> {
                List<String> found = d.findElements(By.cssSelector("[data-testid=message][data-direction=outbound]"))
                        .stream().filter(m -> m.getText().startsWith("Your refund is on its way."))
                        .map(m -> m.findElement(testId("message-status")).getAttribute("data-status")).toList();
                return found.size() == 2 ? found : null;
            });
            assertEquals(List.of("failed", "delivered"), statuses);
            phone.await("the new attempt on the phone", SOON,
                    d -> phone.css("[data-testid=phone-message][data-direction=outbound]").stream()
                            .anyMatch(m -> "delivered".equals(m.getAttribute("data-status"))
                                    && m.findElements(testId("phone-message-body")).stream()
                                            .anyMatch(b -> "Your refund is on its way.".equals(b.getText()))));
        } finally {
            StackResource.stack().standIn().failing().remove(customer);
            goAwayAndSignOut(browser);
        }
    }

    /**
     * "New conversation": the agent texts a customer first; the phone receives it from the business number and the
     * conversation opens as the agent's. A number that texted STOP is refused, the form keeping what was typed.
     */
    @Test
    void agentStartsAConversationThePhoneReceives() throws Exception {
        Browser browser = agentBrowser;
        String agent = SwitchboardApi.createAgent("sam", "Sam Example");
        browser.emulate(1280, 800, false);
        signIn(browser, agent, "Sam Example");
        browser.await("the presence", SOON,
                d -> "true".equals(browser.find("availability-toggle").getAttribute("data-known")));
        String customer = SwitchboardApi.newCustomer();
        // The phone shows the thread of the number it is set to.
        WebElement number = phone.find("phone-number");
        number.clear();
        number.sendKeys(customer, Keys.ENTER);
        phone.await("the thread of " + customer, SOON, d -> phone.find("phone-empty").isDisplayed());

        browser.find("new-conversation").click();
        browser.await("the form", SOON, d -> browser.find("start-form").isDisplayed());
        browser.find("start-customer").sendKeys(customer);
        browser.find("start-body").sendKeys("Hi, this is Sam from the shop: your order is ready.");
        browser.screenshot("console-1280x800-new-conversation");
        browser.find("start-send").click();
        browser.await("the started conversation open", ROUTED,
                d -> customer.equals(browser.find("conversation-title").getText()) && d
                        .findElements(By.cssSelector("[data-testid=message][data-direction=outbound]")).stream()
                        .anyMatch(m -> m.getText().startsWith("Hi, this is Sam from the shop: your order is ready.")));
        assertFalse(browser.find("start-form").isDisplayed());
        assertTrue(conversationItem(browser, customer) != null);
        WebElement onThePhone = phone.await("the text on the phone", ROUTED,
                d -> outboundOnPhone("Hi, this is Sam from the shop: your order is ready."));
        phone.await("delivered", SOON, d -> "delivered".equals(onThePhone.getAttribute("data-status")));
        phone.screenshot("phone-390x844-started");

        // The customer answers into the same conversation.
        phoneText(customer, "Great, I'll come by at 5");
        browser.await("the answer in the conversation", SOON,
                d -> d.findElements(By.cssSelector("[data-testid=message][data-direction=inbound]")).stream()
                        .anyMatch(m -> m.getText().startsWith("Great, I'll come by at 5")));

        // Resolve offers Undo: undone, the conversation stays the agent's past the window; resolved, it goes.
        browser.find("resolve-button").click();
        browser.await("the Undo offer", SOON, d -> browser.find("resolve-undo").isDisplayed());
        browser.screenshot("console-1280x800-resolve-undo");
        browser.find("resolve-undo").click();
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode c = SwitchboardApi.conversation(customer, "assigned");
            return c != null && agent.equals(c.path("agent").asText());
        });
        assertTrue(conversationItem(browser, customer) != null, "kept");
        browser.find("resolve-button").click();
        browser.await("resolved after the window", SOON, d -> conversationItem(browser, customer) == null);
        browser.await("closed on the switchboard", SOON, d -> SwitchboardApi.conversation(customer, "closed") != null);

        // Search finds it resolved, by part of the number; its history reads back in full, without a composer, and
        // "Start again" fills the number into the New conversation form.
        WebElement search = browser.find("search-input");
        search.sendKeys(customer.substring(5), Keys.ENTER);
        WebElement hit = browser.await("the resolved conversation found", SOON,
                d -> browser.css("[data-testid=search-result][data-customer='" + customer + "']").stream().findFirst()
                        .orElse(null));
        assertEquals("closed", hit.getAttribute("data-state"));
        hit.findElement(By.tagName("button")).click();
        browser.await("the whole history", SOON,
                d -> browser.find("history-view").isDisplayed() && browser.all("history-message").size() == 2);
        assertEquals(customer, browser.find("history-title").getText());
        // Where it was resolved is part of the history, as a divider, not a message.
        assertTrue(browser.find("history-event").getText().startsWith("Resolved by Sam Example · "),
                browser.find("history-event").getText());
        assertTrue(browser.find("history-view").findElements(By.tagName("textarea")).isEmpty(), "read only");
        browser.screenshot("console-1280x800-history");
        browser.find("history-start").click();
        browser.await("the form with the number", SOON, d -> browser.find("start-form").isDisplayed()
                && customer.equals(browser.find("start-customer").getAttribute("value")));
        assertFalse(browser.find("history-view").isDisplayed());
        browser.find("start-cancel").click();

        // An opted-out number: refused, and the form says so and keeps the text.
        String stopped = SwitchboardApi.newCustomer();
        phoneText(stopped, "STOP");
        browser.await("the opt-out stored", ROUTED, d -> {
            JsonNode c = SwitchboardApi.conversation(stopped, "waiting");
            return c != null && c.path("optedOut").asBoolean();
        });
        browser.find("new-conversation").click();
        browser.await("the form", SOON, d -> browser.find("start-form").isDisplayed());
        browser.find("start-customer").sendKeys(stopped);
        browser.find("start-body").sendKeys("20% off today only!");
        browser.find("start-send").click();
        browser.await("the refusal in the form", SOON,
                d -> "opted_out".equals(browser.find("start-form").getAttribute("data-refused")));
        assertTrue(browser.find("start-error").getText().contains("opted out"), browser.find("start-error").getText());
        assertEquals("20% off today only!", browser.find("start-body").getAttribute("value"));
        browser.emulate(390, 844, true);
        browser.await("the back button on a phone-sized screen", SOON, d -> {
            if (browser.find("back-to-list").isDisplayed()) {
                browser.find("back-to-list").click();
            }
            return browser.find("start-form").isDisplayed();
        });
        browser.screenshot("console-390x844-new-conversation-refused");
        browser.emulate(1280, 800, false);
        assertEquals(0, SwitchboardApi.sentTo(stopped).size());
        browser.find("start-cancel").click();
        browser.find("sign-out").click();
        browser.await("the sign-in form", SOON, d -> browser.find("login-form").isDisplayed());
    }

    /**
     * A conversation resolved and then reopened by the customer shows both in its timeline, as centred dividers in
     * history order ("Resolved by <agent> · <relative>", "Reopened by the customer · <relative>"), the absolute time in
     * their tooltips; the list's preview stays the customer's text.
     */
    @Test
    void aReopenedConversationShowsWhereItWasResolvedAndReopened() throws Exception {
        Browser browser = agentBrowser;
        String agent = SwitchboardApi.createAgent("rita", "Rita Example");
        browser.emulate(1280, 800, false);
        signIn(browser, agent, "Rita Example");
        goAvailable(browser, 10);
        String customer = SwitchboardApi.newCustomer();
        phoneText(customer, "Has my order shipped?");
        awaitConversation(browser, customer, ROUTED);
        openConversation(browser, customer);
        browser.find("resolve-button").click();
        browser.await("resolved after the Undo window", SOON, d -> conversationItem(browser, customer) == null);
        browser.await("closed on the switchboard", SOON, d -> SwitchboardApi.conversation(customer, "closed") != null);

        phoneText(customer, "Sorry, one more question");
        awaitConversation(browser, customer, ROUTED);
        openConversation(browser, customer);
        List<String> order = browser.await("both dividers in history order", SOON, d -> {
            List<String> seen = browser.css("#timeline > li").stream()
                    .map(li -> "timeline-event".equals(li.getAttribute("data-testid"))
                            ? "event:" + li.getAttribute("data-event") : li.getAttribute("data-direction") + ":"
                                    + li.findElement(testId("message-body")).getText())
                    .toList();
            return seen.size() == 4 ? seen : null;
        });
        assertEquals(List.of("inbound:Has my order shipped?", "event:resolved", "event:reopened",
                "inbound:Sorry, one more question"), order);
        // Read in one go inside the wait: a relative tick may re-render the labels between two reads.
        List<Object> facts = browser.await("the dividers' labels", SOON, d -> {
            WebElement resolved = browser.css("[data-testid=timeline-event][data-event=resolved]").get(0);
            WebElement reopened = browser.css("[data-testid=timeline-event][data-event=reopened]").get(0);
            WebElement label = resolved.findElement(testId("timeline-event-label"));
            if (!resolved.getText().startsWith("Resolved by Rita Example · ")) {
                return null;
            }
            Object centred = ((JavascriptExecutor) browser.driver())
                    .executeScript("const l = arguments[0].getBoundingClientRect();"
                            + " const t = document.getElementById('timeline');"
                            + " const b = t.getBoundingClientRect();"
                            + " return Math.abs((l.left + l.right) / 2 - (b.left + b.right) / 2)"
                            + " <= 2 + (b.width - t.clientWidth);", label);
            return List.of(resolved.getText(), reopened.getText(), label.getAttribute("title"),
                    resolved.getAttribute("role"), centred);
        });
        // The relative part is the console stream's label (as on the messages), not one the page made up.
        String relative = ((String) facts.get(0)).substring("Resolved by Rita Example · ".length());
        assertFalse(relative.isBlank(), facts.toString());
        assertTrue(((String) facts.get(1)).startsWith("Reopened by the customer · "), facts.toString());
        String tooltip = (String) facts.get(2);
        assertFalse(tooltip.isBlank(), "the absolute time in the tooltip");
        assertFalse(tooltip.contains(relative), tooltip + " is absolute, not " + relative);
        assertEquals("separator", facts.get(3));
        assertEquals(Boolean.TRUE, facts.get(4), "the divider's label is centred");
        assertEquals("Sorry, one more question",
                conversationItem(browser, customer).findElement(testId("conv-preview")).getText(),
                "a marker is not the preview");
        browser.screenshot("console-1280x800-reopened");
        browser.emulate(390, 844, true);
        browser.await("the conversation on a phone-sized screen", SOON, d -> {
            if (!browser.find("timeline").isDisplayed()) {
                openConversation(browser, customer);
            }
            return browser.find("timeline").isDisplayed()
                    && browser.css("[data-testid=timeline-event][data-event=reopened]").get(0).isDisplayed();
        });
        browser.screenshot("console-390x844-reopened");
        assertTrue(Files.size(Browser.SCREENSHOTS.resolve("console-390x844-reopened.png")) > 0);
        browser.emulate(1280, 800, false);
        goAwayAndSignOut(browser);
    }

    @Test
    void aLongConversationShowsItsEarlierMessagesOnRequest() {
        Browser browser = agentBrowser;
        String agent = SwitchboardApi.createAgent("lena", "Lena Example");
        browser.emulate(1280, 800, false);
        signIn(browser, agent, "Lena Example");
        goAvailable(browser, 10);
        String customer = SwitchboardApi.newCustomer();
        int texts = 24;
        for (int i = 1; i <= texts; i++) {
            SwitchboardApi.text(customer, "Text number " + i);
        }
        awaitConversation(browser, customer, ROUTED);
        openConversation(browser, customer);
        browser.await("the last text shown", SOON, d -> bodies(browser).contains("Text number " + texts));
        // A reload resyncs through the socket, which sends a bounded history (20 by default) with each conversation.
        browser.open(console.toString());
        openConversation(browser, customer);
        WebElement earlier = browser.await("the earlier-messages button", SOON, d -> {
            List<WebElement> buttons = browser.css("[data-testid=earlier-messages]");
            return buttons.isEmpty() || !bodies(browser).contains("Text number " + texts) ? null : buttons.get(0);
        });
        int shown = bodies(browser).size();
        assertTrue(shown < texts, "the socket sent " + shown + " of " + texts);
        assertEquals("Show " + (texts - shown) + " earlier message" + (texts - shown == 1 ? "" : "s"),
                earlier.getText());
        browser.screenshot("console-1280x800-earlier");
        earlier.click();
        List<String> all = browser.await("every text, oldest first", SOON, d -> {
            List<String> seen = bodies(browser);
            return seen.size() == texts ? seen : null;
        });
        assertEquals("Text number 1", all.get(0));
        assertEquals("Text number " + texts, all.get(texts - 1));
        assertTrue(browser.css("[data-testid=earlier-messages]").isEmpty(), "nothing left to load");
        goAwayAndSignOut(browser);
    }

    private static List<String> bodies(Browser browser) {
        return browser.css("#timeline [data-testid=message] [data-testid=message-body]").stream()
                .map(WebElement::getText).toList();
    }

    private static void blur(Browser browser) {
        ((JavascriptExecutor) browser.driver()).executeScript("document.activeElement.blur()");
    }

    /** Whether the boxes of two elements on screen intersect. */
    private static boolean overlaps(Browser browser, String first, String second) {
        return (Boolean) ((JavascriptExecutor) browser.driver()).executeScript(
                "const a = document.querySelector(`[data-testid='${arguments[0]}']`).getBoundingClientRect();"
                        + "const b = document.querySelector(`[data-testid='${arguments[1]}']`).getBoundingClientRect();"
                        + "return a.width > 0 && a.height > 0 && b.width > 0 && !(a.right <= b.left || b.right <= a.left"
                        + " || a.bottom <= b.top || b.bottom <= a.top);",
                first, second);
    }

    /** Texts from the dev phone page as this number, as a person would, and waits until the switchboard took it. */
    private static void phoneText(String number, String body, Path... pictures) {
        WebElement field = phone.find("phone-number");
        if (!number.equals(field.getAttribute("value"))) {
            field.clear();
            field.sendKeys(number, Keys.ENTER);
            phone.await("the thread of " + number, SOON, d -> phone.find("phone-empty").isDisplayed());
        }
        long before = inboundOnPhone(body);
        for (Path picture : pictures) {
            phone.find("phone-media").sendKeys(picture.toAbsolutePath().toString());
        }
        phone.find("phone-body").sendKeys(body);
        phone.find("phone-send").click();
        phone.await("the text accepted by the switchboard", SOON,
                d -> phone.find("phone-status").getText().startsWith("Sent ")
                        && phone.find("phone-body").getAttribute("value").isEmpty());
        phone.await("the text in the phone's thread", SOON, d -> inboundOnPhone(body) == before + 1);
    }

    private static long inboundOnPhone(String body) {
        return phone.css("[data-testid=phone-message][data-direction=inbound]").stream()
                .filter(m -> m.getAttribute("data-status").equals("received") && m
                        .findElements(testId("phone-message-body")).stream().anyMatch(b -> body.equals(b.getText())))
                .count();
    }

    private static WebElement outboundOnPhone(String body) {
        return phone.css("[data-testid=phone-message][data-direction=outbound]").stream().filter(
                m -> m.findElements(testId("phone-message-body")).stream().anyMatch(b -> body.equals(b.getText())))
                .findFirst().orElse(null);
    }

    /** The stand-in's sample picture as a file to attach, as a customer picks one from their phone. */
    private static Path samplePicture() throws Exception {
        Path file = Path.of("target", "phone-upload", "label.png");
        Files.createDirectories(file.getParent());
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest
                        .newBuilder(
                                URI.create(StackResource.stack().standIn().url() + "/_standin/phone/media/sample.png"))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        Files.write(file, response.body());
        return file;
    }

    private void signIn(Browser browser, String agent, String displayName) {
        browser.open(console.toString());
        // A browser another test signed in with: start from no session.
        browser.driver().manage().deleteAllCookies();
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

    /** Ends the agent's shift, so that no customer of another test is routed to them. */
    private static void goAwayAndSignOut(Browser browser) {
        browser.find("availability-toggle").click();
        browser.await("away", SOON,
                d -> "false".equals(browser.find("availability-toggle").getAttribute("aria-pressed")));
        browser.find("sign-out").click();
        browser.await("the sign-in form", SOON, d -> browser.find("login-form").isDisplayed());
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
        ((JavascriptExecutor) browser.driver()).executeScript(
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
