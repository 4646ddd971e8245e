package dev.switchboard.local;

import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A stand-in for a server child: listens on the port given (0: any), prints it, and stays until it is stopped; with a
 * second argument, exits with that code at once instead.
 */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1) {
            System.exit(Integer.parseInt(args[1]));
        }
        try (ServerSocket socket = new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening " + socket.getLocalPort());
            System.out.flush();
            while (true) {
                socket.accept().close();
            }
        }
    }
}
