package dev.switchboard.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code infra/haproxy/haproxy.cfg}, the file an operator starts from, for one local run: every line is kept,
 * except that the stats socket gets this run's path, each frontend's {@code bind} this run's port, and each backend one
 * {@code server} line per instance, written after the pattern of its first one ({@code server sb1 127.0.0.1:8090 check}
 * becomes sb1..sbN on the given ports).
 */
public final class HaproxyConfig {

    private static final Pattern SECTION = Pattern.compile("^(frontend|backend|defaults|global|listen)\\b\\s*(\\S*).*");
    private static final Pattern SERVER = Pattern.compile("^(\\s*)server\\s+([A-Za-z_-]+?)\\d+\\s+(\\S+?):(\\d+)(.*)$");
    private static final Pattern BIND = Pattern.compile("^(\\s*)bind\\s+\\S*:(\\d+)(.*)$");
    private static final Pattern SOCKET = Pattern.compile("^(\\s*)stats socket\\s+\\S+(.*)$");

    private HaproxyConfig() {
    }

    /**
     * @param binds
     *            the port each frontend listens on, by frontend name
     * @param servers
     *            the instances' ports, by backend name
     */
    public static String render(String template, Path statsSocket, Map<String, Integer> binds,
            Map<String, List<Integer>> servers) {
        List<String> out = new ArrayList<>();
        String section = "";
        boolean serversWritten = false;
        for (String line : template.split("\n", -1)) {
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                section = m.group(1) + " " + m.group(2);
                serversWritten = false;
            }
            Matcher socket = SOCKET.matcher(line);
            Matcher bind = BIND.matcher(line);
            Matcher server = SERVER.matcher(line);
            String name = section.substring(section.indexOf(' ') + 1);
            if (socket.matches()) {
                out.add(socket.group(1) + "stats socket " + statsSocket + socket.group(2));
            } else if (bind.matches() && section.startsWith("frontend ") && binds.containsKey(name)) {
                out.add(bind.group(1) + "bind :" + binds.get(name) + bind.group(3));
            } else if (server.matches() && section.startsWith("backend ") && servers.containsKey(name)) {
                if (!serversWritten) {
                    List<Integer> ports = servers.get(name);
                    for (int i = 0; i < ports.size(); i++) {
                        out.add(server.group(1) + "server " + server.group(2) + (i + 1) + " " + server.group(3) + ":"
                                + ports.get(i) + server.group(5));
                    }
                    serversWritten = true;
                }
            } else {
                out.add(line);
            }
        }
        return String.join("\n", out);
    }

    /** The name the rendered config gives the i-th (from 0) server of a backend whose pattern line names it so. */
    public static String serverName(String prefix, int index) {
        return prefix + (index + 1);
    }
}
