package org.mcsfhir.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged server jar (with the build's JVM settings) as a separate process on 127.0.0.1, on its own fresh
 * database in the given embedded PostgreSQL, plus the one HTTP client the benchmarks talk to it with.
 */
final class BenchmarkServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Process process;
    private final String root;
    private Duration startup;
    private double startupCpuMs;

    private BenchmarkServer(Process process, String root) {
        this.process = process;
        this.root = root;
    }

    static HttpClient http() {
        return HTTP;
    }

    /**
     * An embedded PostgreSQL that commits to disk (fsync and synchronous_commit on; zonky's builder turns the latter
     * off), so that a value acknowledged after commit is stored: what the telemetry benchmarks count.
     */
    static EmbeddedPostgres durablePostgres() throws IOException {
        return EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .start();
    }

    /** Starts the server on a new database named after the work directory, with extra {@code --key=value} args. */
    static BenchmarkServer start(EmbeddedPostgres postgres, Path work, String... extraArgs) throws Exception {
        return start(postgres, work, List.of(), extraArgs);
    }

    /** As {@link #start(EmbeddedPostgres, Path, String...)}, with extra JVM options (e.g. a GC log). */
    static BenchmarkServer start(EmbeddedPostgres postgres, Path work, List<String> jvmArgs, String... extraArgs)
            throws Exception {
        return start(postgres, work, System.getProperty("mcs.server.jar"), jvmArgs, extraArgs);
    }

    /** As {@link #start(EmbeddedPostgres, Path, List, String...)}, from another jar (e.g. the previous build's). */
    static BenchmarkServer start(
            EmbeddedPostgres postgres, Path work, String jar, List<String> jvmArgs, String... extraArgs)
            throws Exception {
        Files.createDirectories(work);
        String database = work.getFileName().toString().replaceAll("[^a-z0-9]", "_");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
            statement.execute("CREATE DATABASE " + database);
        }
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=postgres",
                "--mcs.db.url=" + postgres.getJdbcUrl("postgres", database),
                "--mcs.db.user=postgres",
                "--mcs.db.password="));
        args.addAll(List.of(extraArgs));
        return start(work, jar, jvmArgs, args);
    }

    /** Starts the server on the embedded default (H2 in {@code work/data}), as the README's run command does. */
    static BenchmarkServer startEmbeddedDefault(Path work) throws Exception {
        return startEmbeddedDefault(work, System.getProperty("mcs.server.jar"), List.of());
    }

    /** As {@link #startEmbeddedDefault(Path)}, from another jar (e.g. the previous build's) with extra JVM options. */
    static BenchmarkServer startEmbeddedDefault(Path work, String jar, List<String> jvmArgs) throws Exception {
        Files.createDirectories(work);
        return start(work, jar, jvmArgs, List.of());
    }

    private static BenchmarkServer start(Path work, List<String> jvmArgs, List<String> args) throws Exception {
        return start(work, System.getProperty("mcs.server.jar"), jvmArgs, args);
    }

    private static BenchmarkServer start(Path work, String jar, List<String> jvmArgs, List<String> args)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : System.getProperty("mcs.jvm.args", "").trim().split("\\s+")) {
            if (!arg.isEmpty()) {
                command.add(arg);
            }
        }
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar, "--server.port=" + port, "--mcs.data-dir=" + work.resolve("data")));
        command.addAll(args);
        Path log = work.resolve("server.log");
        Instant started = Instant.now();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        BenchmarkServer server = new BenchmarkServer(process, "http://127.0.0.1:" + port);
        server.awaitReady(log);
        server.startup = Duration.between(started, Instant.now());
        server.startupCpuMs = ThreadCpu.of(process.pid(), "main")[1];
        return server;
    }

    /**
     * CPU time the server process used until its first 200 (all threads, user + system): the start's work, which the
     * machine's load does not stretch the way it stretches {@link #startupTime()}.
     */
    double startupCpuSeconds() {
        return startupCpuMs / 1000.0;
    }

    /** Times {@code runs} GETs of {@code path} (each must answer 200) after {@code warmups} untimed ones. */
    Latencies timeGets(String path, int warmups, int runs) throws Exception {
        for (int i = 0; i < warmups; i++) {
            expect(200, "GET", path, null);
        }
        Latencies latencies = new Latencies();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            expect(200, "GET", path, null);
            latencies.add(System.nanoTime() - t);
        }
        return latencies;
    }

    /** From launching the JVM to the first 200 on {@code /fhir/metadata}. */
    Duration startupTime() {
        return startup;
    }

    /** CPU time the server process has used so far (all threads, ended ones included), from /proc. */
    double cpuMs() throws IOException {
        return ThreadCpu.of(process.pid(), "")[1];
    }

    /** Resident set size of the server process, from /proc. */
    long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private void awaitReady(Path log) throws Exception {
        // a shared build machine under heavy load has taken 8 minutes to start the server
        Instant deadline = Instant.now().plus(Duration.ofMinutes(Integer.getInteger("bench.start-minutes", 10)));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited; see " + log);
            }
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create(fhir() + "/metadata"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("server did not start in time (bench.start-minutes); see " + log);
    }

    String root() {
        return root;
    }

    String fhir() {
        return root + "/fhir";
    }

    long pid() {
        return process.pid();
    }

    /** Sends a FHIR JSON request (body may be null) and returns the response. */
    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path))
                .header("Accept", "application/fhir+json")
                .timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/fhir+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** PUTs a FHIR resource to {@code /fhir/<path>}; fails the benchmark unless it was created or updated. */
    void put(String path, String body) throws Exception {
        HttpResponse<String> response = send("PUT", "/fhir/" + path, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("PUT " + path + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** {@link #send} that fails the benchmark on an unexpected status: a fast error is not a fast write. */
    HttpResponse<String> expect(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() != status) {
            throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
        return response;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
