package dev.switchboard.twilio;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Which media URLs may be fetched, and which of them get the account's credentials. A webhook's media URL is chosen by
 * whoever sent it; even signed, the switchboard must not fetch arbitrary addresses with its credentials or store what
 * an internal service answers as customer media.
 * <ul>
 * <li>The first URL must be on an allowed {@code host:port} ({@code switchboard.media.allowed-hosts}; a host without a
 * port means port 443). The Twilio API base URL, when set (the local stand-in), is allowed too.</li>
 * <li>Every URL, redirects included, must use an allowed scheme ({@code switchboard.media.fetch.schemes}, production
 * https only) and must not resolve to a loopback, link-local, private, unique-local or unspecified address, unless its
 * {@code host:port} is listed in {@code switchboard.media.fetch.private-hosts} or is the Twilio API base URL.</li>
 * </ul>
 * Addresses are checked as resolved here; the HTTP client resolves the name again when it connects.
 */
@ApplicationScoped
public class MediaUrlPolicy {

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> allowed;
    private final Set<String> schemes;
    private final Set<String> privateAllowed;
    private final Resolver resolver;

    @Inject
    MediaUrlPolicy(TwilioMediaConfig media, MediaFetchConfig fetch, TwilioConfig twilio) {
        this(media.allowedHosts(), fetch.schemes(), fetch.privateHosts().orElse(List.of()), twilio.apiBaseUrl(),
                InetAddress::getAllByName);
    }

    MediaUrlPolicy(List<String> allowedHosts, List<String> schemes, List<String> privateHosts, Optional<URI> twilioApi,
            Resolver resolver) {
        Optional<String> standIn = twilioApi.map(MediaUrlPolicy::origin);
        this.allowed = Stream.concat(allowedHosts.stream().map(MediaUrlPolicy::normalise), standIn.stream())
                .collect(Collectors.toUnmodifiableSet());
        this.schemes = schemes.stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.privateAllowed = Stream.concat(privateHosts.stream().map(MediaUrlPolicy::normalise), standIn.stream())
                .collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /**
     * Checks one URL about to be requested.
     *
     * @param credentialed
     *            whether the request would carry the account's credentials (the first one; never a redirect)
     *
     * @throws MediaFetchException.Refused
     *             when the URL must not be fetched, saying why
     * @throws MediaFetchException
     *             when its host cannot be resolved just now
     */
    public void check(URI url, boolean credentialed) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new MediaFetchException.Refused("media URL " + url + " is not an http(s) URL with a host");
        }
        if (!schemes.contains(scheme)) {
            throw new MediaFetchException.Refused(
                    "media URL scheme " + scheme + " is not allowed (switchboard.media.fetch.schemes)");
        }
        String origin = origin(url);
        if (credentialed && !allowed.contains(origin)) {
            throw new MediaFetchException.Refused(
                    "media host " + origin + " is not allowed (switchboard.media.allowed-hosts)");
        }
        if (privateAllowed.contains(origin)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost(url));
        } catch (UnknownHostException e) {
            throw new MediaFetchException("media host " + url.getHost() + " cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new MediaFetchException.Refused("media host " + origin + " resolves to the internal address "
                        + address.getHostAddress() + " (switchboard.media.fetch.private-hosts)");
            }
        }
    }

    /** Loopback, link-local, private (RFC 1918), unique-local (fc00::/7), unspecified or multicast. */
    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        if (address instanceof Inet6Address) {
            byte first = address.getAddress()[0];
            return (first & 0xfe) == 0xfc;
        }
        // 100.64.0.0/10, carrier-grade NAT: not public either.
        byte[] ip = address.getAddress();
        return (ip[0] & 0xff) == 100 && (ip[1] & 0xc0) == 64;
    }

    /** {@code host:port}, lower case, with the scheme's default port when the URL names none. */
    static String origin(URI url) {
        int port = url.getPort();
        if (port < 0) {
            port = "http".equalsIgnoreCase(url.getScheme()) ? 80 : 443;
        }
        return url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** An allowed-hosts entry as {@code host:port}; a bare host means https's port. */
    private static String normalise(String entry) {
        String text = entry.trim().toLowerCase(Locale.ROOT);
        boolean hasPort = text.startsWith("[") ? text.contains("]:") : text.indexOf(':') >= 0;
        return hasPort ? text : text + ":443";
    }

    private static String bareHost(URI url) {
        String host = url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
