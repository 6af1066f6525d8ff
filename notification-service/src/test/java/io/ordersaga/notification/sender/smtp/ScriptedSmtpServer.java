package io.ordersaga.notification.sender.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal SMTP server that answers each command as scripted (by verb: {@code MAIL}, {@code RCPT}, {@code DATA}, …)
 * and everything else with success: for what GreenMail does not do, refusing a recipient or deferring it. It
 * records the commands it received.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Map<String, String> replies;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    ScriptedSmtpServer(Map<String, String> replies) throws IOException {
        this.replies = Map.copyOf(replies);
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread.submit(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The verbs received, in order: e.g. {@code [EHLO, MAIL, RCPT, RSET, QUIT]}. */
    List<String> verbs() {
        return commands.stream().map(ScriptedSmtpServer::verb).toList();
    }

    private Void serve() throws IOException {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException closed) {
                if (socket.isClosed()) {
                    return null;
                }
            }
        }
        return null;
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.US_ASCII);
        reply(out, "220 scripted.test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            commands.add(line);
            String verb = verb(line);
            if (replies.containsKey(verb)) {
                reply(out, replies.get(verb));
                continue;
            }
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, "250 scripted.test");
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    String data;
                    while ((data = in.readLine()) != null && !data.equals(".")) {
                        // the message itself is not looked at
                    }
                    reply(out, "250 2.0.0 queued");
                }
                case "QUIT" -> {
                    reply(out, "221 2.0.0 bye");
                    return;
                }
                default -> reply(out, "250 2.0.0 OK");
            }
        }
    }

    private static String verb(String command) {
        int end = command.indexOf(' ');
        return (end < 0 ? command : command.substring(0, end)).toUpperCase(Locale.ROOT);
    }

    private static void reply(Writer out, String line) throws IOException {
        out.write(line + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        thread.shutdownNow();
    }
}
