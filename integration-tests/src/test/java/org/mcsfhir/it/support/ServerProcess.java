package org.mcsfhir.it.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server jar running as a separate process on a free loopback port, exactly as an operator would run
 * it. Its output goes to {@code target/it-logs/<name>.log}.
 */
public final class ServerProcess implements AutoCloseable {

    /**
     * Default 8 minutes: a 2-core machine running other builds has taken over 4 to start the jar;
     * {@code -Dmcs.it.start-minutes} changes it.
     */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(Integer.getInteger("mcs.it.start-minutes", 8));

    /** Measured stops take 2-10 s (10 s with the database gone, DatabaseOutageIT); a loaded machine gets room. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final List<String> command;
    private final int port;
    private final Path log;
    private volatile Process process;
    private boolean stoppedWithTheTestJvm;
    private Duration startupTime;

    private ServerProcess(String name, int port, List<String> command, Path log) {
        this.name = name;
        this.port = port;
        this.command = command;
        this.log = log;
    }

    /** Starts the jar with {@code --key=value} settings and waits until {@code /fhir/metadata} answers 200. */
    public static ServerProcess start(String name, Map<String, String> settings) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(
                Arrays.asList(System.getProperty("mcs.jvm.args", "").trim().split("\\s+")));
        command.add("-jar");
        command.add(stableJarCopy().toString());
        command.add("--server.port=" + port);
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        command.removeIf(String::isEmpty);
        Path log = Path.of(System.getProperty("mcs.it.logs", "target/it-logs"), name + ".log");
        ServerProcess server = new ServerProcess(name, port, command, log);
        server.launch();
        return server;
    }

    /** Starts the same command again (same port, same data) after {@link #stop()} or {@link #kill()}. */
    public void restart() {
        launch();
    }

    private void launch() {
        try {
            Files.createDirectories(log.getParent());
            Instant started = Instant.now();
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            stopWithTheTestJvm();
            awaitReady();
            startupTime = Duration.between(started, Instant.now());
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (metadataAnswers()) {
                return;
            }
            sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not answer within " + START_TIMEOUT + "; see " + log);
    }

    private boolean metadataAnswers() {
        try {
            HttpURLConnection connection = (HttpURLConnection)
                    URI.create(fhirBase() + "/metadata").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(30000);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    public String fhirBase() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    public String root() {
        return "http://127.0.0.1:" + port;
    }

    /** The process's output, all starts appended. */
    public Path log() {
        return log;
    }

    public Duration startupTime() {
        return startupTime;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Graceful stop (SIGTERM), as a service manager would do. A server still running {@link #STOP_TIMEOUT} later is
     * killed and the test fails: an operator's service manager would have killed it too.
     */
    public void stop() {
        process.destroy();
        if (!waitForExit(STOP_TIMEOUT)) {
            kill();
            throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM; see " + log);
        }
    }

    /** SIGKILL: the process gets no chance to flush anything. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofMinutes(1));
    }

    private boolean waitForExit(Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * A server must not outlive the test JVM (a failed test class, or failsafe ending the fork), where it would load
     * the machine for the tests after it: SIGTERM, then SIGKILL, within failsafe's 30 s for a fork to exit.
     */
    private void stopWithTheTestJvm() {
        if (stoppedWithTheTestJvm) {
            return; // a restart: the hook acts on whichever process is current
        }
        stoppedWithTheTestJvm = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (process.isAlive()) {
                process.destroy();
                if (!waitForExit(Duration.ofSeconds(20))) {
                    process.destroyForcibly();
                }
            }
        }));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    /** A TCP port free right now on this machine (for a server's HTTP or MLLP port). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path jarCopy;

    /**
     * The jar under test, copied once per test run: a rebuild of {@code fhir-server} while tests run must not swap
     * classes under a running server.
     */
    private static synchronized Path stableJarCopy() {
        if (jarCopy == null) {
            String jar = System.getProperty("mcs.server.jar");
            if (jar == null || !Files.exists(Path.of(jar))) {
                throw new IllegalStateException("mcs.server.jar must point at the packaged server jar, got " + jar);
            }
            try {
                jarCopy = Files.createTempFile("mcs-fhir-server-", ".jar");
                Files.copy(Path.of(jar), jarCopy, StandardCopyOption.REPLACE_EXISTING);
                jarCopy.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new IllegalStateException("could not copy the server jar", e);
            }
        }
        return jarCopy;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
