package dev.jconv.spark;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on the loopback interface for tests: a Master and workers, each its own JVM run
 * from the jars of this test's class path, one core and 512 MB for executors per worker. The workers launch
 * executors as Spark's scripts would, from a Spark home made of links to those jars; jconv's classes reach the
 * executors through {@code spark.executor.extraClassPath} (the class path's folders) and its jars.
 *
 * <p>{@link #close()} kills every process it started and their children (the executors), also when the test
 * JVM exits without closing it.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 90_000;

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final Thread killer = new Thread(this::kill, "standalone cluster killer");
    private final String classPath = System.getProperty("java.class.path");
    private String masterUrl;

    private StandaloneCluster(Path dir) {
        this.dir = dir;
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts a Master and {@code workers} workers under {@code dir}; returns once every worker has registered. */
    static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        StandaloneCluster cluster = new StandaloneCluster(dir);
        try {
            Path home = cluster.sparkHome();
            int port = freePort();
            int webUi = freePort();
            cluster.masterUrl = "spark://127.0.0.1:" + port;
            cluster.launch("master", home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", Integer.toString(webUi));
            for (int w = 1; w <= workers; w++) {
                Path work = Files.createDirectories(dir.resolve("work-" + w));
                cluster.launch("worker-" + w, home, "org.apache.spark.deploy.worker.Worker", cluster.masterUrl,
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "512m", "--webui-port", "0",
                        "--work-dir", work.toString());
            }
            cluster.awaitWorkers(webUi, workers);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    String masterUrl() {
        return masterUrl;
    }

    /** The settings a driver needs for this cluster: executor size, jconv's classes, the Vector API. */
    Map<String, String> driverSettings() {
        List<String> folders = Stream.of(classPath.split(File.pathSeparator))
                .filter(entry -> Files.isDirectory(Path.of(entry))).toList();
        Map<String, String> settings = new LinkedHashMap<>(SparkSessions.SETTINGS);
        settings.put("spark.executor.memory", "512m");
        settings.put("spark.executor.cores", "1");
        settings.put("spark.executor.extraClassPath", String.join(File.pathSeparator, folders));
        settings.put("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        return settings;
    }

    /** The executor JVM that worker {@code w} (from 1) runs now, if any. */
    Optional<ProcessHandle> executorOf(int w) {
        return processes.get(w).toHandle().children()
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).findFirst();
    }

    /** The ids of the executors worker {@code w} has launched for application {@code appId}, oldest first. */
    List<String> executorIds(int w, String appId) throws IOException {
        Path app = dir.resolve("work-" + w).resolve(appId);
        if (!Files.isDirectory(app)) {
            return List.of();
        }
        try (Stream<Path> ids = Files.list(app)) {
            return ids.map(p -> p.getFileName().toString()).sorted((a, b) -> Integer.compare(Integer.parseInt(a),
                    Integer.parseInt(b))).toList();
        }
    }

    /** A Spark home whose jars/ links to every jar of this JVM's class path. */
    private Path sparkHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        // Spark's launcher reads the jars from jars/ of a home with a RELEASE file (an unpacked distribution).
        Files.writeString(home.resolve("RELEASE"), "Spark for jconv's tests\n");
        int n = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (Files.isRegularFile(jar) && entry.endsWith(".jar")) {
                // Numbered: two jars of the class path may share a file name.
                Files.createSymbolicLink(jars.resolve(String.format("%03d-%s", n++, jar.getFileName())),
                        jar.toAbsolutePath());
            }
        }
        return home;
    }

    private void launch(String name, Path home, String mainClass, String... args) throws IOException {
        // The Master and workers only pass messages: the quick compiler and one GC thread start them sooner.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        // The --add-opens this JVM got (Spark's reflective access to the JDK), for the Master and workers too.
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--add-opens") || option.startsWith("--add-exports")) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        // Spark's launcher asks for the Scala version of an unpacked home rather than guessing it.
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        processes.add(builder.start());
    }

    /**
     * Waits until the Master's status page ({@code /json/} of its web UI) counts {@code workers} live workers;
     * fails with the end of a process's log if one exits or they take too long.
     */
    private void awaitWorkers(int webUi, int workers) throws IOException, InterruptedException {
        HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUi + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (true) {
                try {
                    Matcher m = alive.matcher(http.send(status, HttpResponse.BodyHandlers.ofString()).body());
                    if (m.find() && Integer.parseInt(m.group(1)) >= workers) {
                        return;
                    }
                } catch (IOException e) {
                    // The Master is not listening yet.
                }
                for (int i = 0; i < processes.size(); i++) {
                    boolean late = System.currentTimeMillis() > deadline;
                    if (!processes.get(i).isAlive() || late) {
                        String name = i == 0 ? "master" : "worker-" + i;
                        String text = Files.readString(dir.resolve(name + ".log"));
                        throw new IllegalStateException("the cluster did not start: " + name + (late
                                ? " still starting after " + START_TIMEOUT_MS / 1000 + " s" : " exited")
                                + "; its log ends:\n" + text.substring(Math.max(0, text.length() - 3000)));
                    }
                }
                Thread.sleep(250);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Kills the workers' executors, the workers, then the Master, and waits for them to exit. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down, and the hook runs anyway.
        }
    }

    private void kill() {
        for (Process p : processes.reversed()) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        try {
            for (Process p : processes) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // killed already; only the wait is cut short
        }
    }
}
