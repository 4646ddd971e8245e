package dev.switchboard.twilio;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaUrlPolicyTest {

    /** Names resolve as a hostile DNS might answer; nothing here asks a real resolver. */
    private static final Map<String, String> DNS = Map.of("api.twilio.com", "54.172.60.1", "media.example.com",
            "93.184.216.34", "metadata.example.com", "169.254.169.254", "intranet.example.com", "10.1.2.3",
            "v6.example.com", "fd00::1", "localhost", "127.0.0.1");

    private static MediaUrlPolicy production() {
        return new MediaUrlPolicy(List.of("api.twilio.com"), List.of("https"), List.of(), Optional.empty(),
                MediaUrlPolicyTest::resolve);
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.getOrDefault(host, host);
        if (!Character.isDigit(address.charAt(0)) && !address.contains(":")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] { InetAddress.getByName(address) };
    }

    @Test
    void twilioOverHttpsOnItsDefaultPortIsFetchedWithCredentials() {
        assertDoesNotThrow(() -> production().check(URI.create("https://api.twilio.com/2010-04-01/Media/ME1"), true));
        assertDoesNotThrow(() -> production().check(URI.create("https://api.twilio.com:443/Media/ME1"), true));
    }

    @Test
    void anAllowedHostOnAnotherPortIsRefused() {
        refused(production(), "https://api.twilio.com:8443/Media/ME1", true, "api.twilio.com:8443 is not allowed");
    }

    @Test
    void plainHttpIsRefusedInProduction() {
        refused(production(), "http://api.twilio.com/Media/ME1", true, "switchboard.media.fetch.schemes");
        // Redirects too: the credentials are not sent there, but the bytes would be stored as the customer's.
        refused(production(), "http://media.example.com/signed", false, "switchboard.media.fetch.schemes");
    }

    @Test
    void otherHostsGetNoCredentialsButMayServeARedirect() {
        refused(production(), "https://media.example.com/file.png", true, "switchboard.media.allowed-hosts");
        assertDoesNotThrow(() -> production().check(URI.create("https://media.example.com/signed?sig=1"), false));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://127.0.0.1/x", "https://localhost/x", "https://[::1]/x",
            "https://metadata.example.com/latest/meta-data/", "https://intranet.example.com/x",
            "https://192.168.1.20/x", "https://172.16.0.5/x", "https://v6.example.com/x", "https://0.0.0.0/x",
            "https://100.64.1.1/x", "https://[fe80::1]/x" })
    void internalAddressesAreRefusedEvenAfterARedirect(String url) {
        refused(production(), url, false, "resolves to the internal address");
    }

    @Test
    void anAllowedNameThatResolvesToAnInternalAddressIsRefused() {
        MediaUrlPolicy policy = new MediaUrlPolicy(List.of("intranet.example.com"), List.of("https"), List.of(),
                Optional.empty(), MediaUrlPolicyTest::resolve);
        refused(policy, "https://intranet.example.com/x", true, "10.1.2.3");
    }

    @Test
    void aPrivateHostIsFetchedOnlyOnTheHostAndPortListed() {
        MediaUrlPolicy local = new MediaUrlPolicy(List.of("127.0.0.1:9999"), List.of("https", "http"),
                List.of("127.0.0.1:9999"), Optional.empty(), MediaUrlPolicyTest::resolve);
        assertDoesNotThrow(() -> local.check(URI.create("http://127.0.0.1:9999/media/a.png"), true));
        refused(local, "http://127.0.0.1:9998/media/a.png", true, "127.0.0.1:9998 is not allowed");
        refused(local, "http://127.0.0.1:9998/storage/a.png", false, "internal address 127.0.0.1");
        refused(local, "http://localhost:9999/media/a.png", true, "localhost:9999 is not allowed");
    }

    @Test
    void theTwilioApiBaseUrlCountsAsAllowedWithItsPortOnly() {
        MediaUrlPolicy dev = new MediaUrlPolicy(List.of("api.twilio.com"), List.of("https", "http"), List.of(),
                Optional.of(URI.create("http://localhost:8082")), MediaUrlPolicyTest::resolve);
        assertDoesNotThrow(() -> dev.check(URI.create("http://localhost:8082/media/sample.png"), true));
        assertDoesNotThrow(() -> dev.check(URI.create("http://localhost:8082/storage/sample.png"), false));
        refused(dev, "http://localhost:8080/q/metrics", true, "localhost:8080 is not allowed");
        refused(dev, "http://localhost:8080/q/metrics", false, "internal address");
    }

    @Test
    void aHostThatDoesNotResolveIsATransientFailureNotARefusal() {
        MediaFetchException e = assertThrows(MediaFetchException.class,
                () -> production().check(URI.create("https://nowhere.invalid/x"), false));
        assertTrue(!(e instanceof MediaFetchException.Refused), e.toString());
    }

    @Test
    void notAnHttpUrlIsRefused() {
        refused(production(), "file:///etc/passwd", true, "not an http(s) URL");
        refused(production(), "ftp://api.twilio.com/x", true, "not an http(s) URL");
    }

    private static void refused(MediaUrlPolicy policy, String url, boolean credentialed, String reason) {
        MediaFetchException.Refused e = assertThrows(MediaFetchException.Refused.class,
                () -> policy.check(URI.create(url), credentialed));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
