package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The operator's HAProxy file, and what the local run renders from it, are both configs HAProxy accepts. */
class HaproxyConfigTest {

    private static final Path FILE = Path.of("..").resolve(Haproxy.TEMPLATE);

    @Test
    void rendersOneServerLinePerInstanceAndThisRunsPortsAndSocket() throws Exception {
        String rendered = HaproxyConfig.render(Files.readString(FILE), Path.of("/tmp/x/haproxy.sock"),
                Map.of("switchboard", 18080, "console", 18081),
                Map.of("switchboards", List.of(18090, 18091, 18092), "consoles", List.of(18190)));
        assertTrue(rendered.contains("    server sb1 127.0.0.1:18090 check\n    server sb2 127.0.0.1:18091 check\n"
                + "    server sb3 127.0.0.1:18092 check\n"), rendered);
        assertTrue(rendered.contains("    server console1 127.0.0.1:18190 check\n"), rendered);
        assertFalse(rendered.contains("console2"), rendered);
        assertFalse(rendered.contains(":8090"), rendered);
        assertTrue(rendered.contains("bind :18080\n"), rendered);
        assertTrue(rendered.contains("bind :18081\n"), rendered);
        assertTrue(rendered.contains("stats socket /tmp/x/haproxy.sock mode 600 level admin"), rendered);
        // Everything else is kept: the retry rule above all.
        assertTrue(rendered.contains("retry-on conn-failure empty-response response-timeout 503"), rendered);
        assertEquals(Files.readString(FILE).lines().filter(l -> !l.trim().startsWith("server ")).count(),
                rendered.lines().filter(l -> !l.trim().startsWith("server ")).count());
    }

    @Test
    void haproxyAcceptsTheFileAndTheRenderedConfig() throws Exception {
        assumeTrue(Haproxy.installed(), "haproxy is installed by scripts/install-prerequisites");
        Path dir = Files.createTempDirectory(Path.of("target"), "haproxy").toAbsolutePath();
        // The operator's file as it is, but for a socket folder that may not exist here.
        Path asIs = dir.resolve("as-is.cfg");
        Files.writeString(asIs,
                Files.readString(FILE).replace("/run/haproxy/switchboard.sock", dir.resolve("s.sock").toString()));
        Path rendered = dir.resolve("rendered.cfg");
        Files.writeString(rendered,
                HaproxyConfig.render(Files.readString(FILE), dir.resolve("r.sock"),
                        Map.of("switchboard", 18080, "console", 18081),
                        Map.of("switchboards", List.of(18090, 18091, 18092), "consoles", List.of(18190))));
        for (Path config : List.of(asIs, rendered)) {
            Process check = new ProcessBuilder(Haproxy.binary(), "-c", "-f", config.toString())
                    .redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.waitFor(), output);
            assertFalse(output.contains("WARNING"), output);
        }
    }
}
