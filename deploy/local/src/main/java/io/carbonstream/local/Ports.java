package io.carbonstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports. */
public final class Ports {

    private Ports() {
    }

    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails the start of {@code server} with one clear message when something already listens on
     * 127.0.0.1:{@code port}; {@code setting} is the launcher's variable that moves it.
     */
    static void requireFree(String server, int port, String setting) {
        if (!isFree(port)) {
            throw new IllegalStateException(server + " cannot start: port " + port + " on 127.0.0.1 is taken by another"
                    + " process (set " + setting + " to another port, or stop what listens there)");
        }
    }

    /** Whether nothing listens on 127.0.0.1:{@code port} (a port left in TIME_WAIT counts as free, as servers see it). */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
