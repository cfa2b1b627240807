package io.carbonstream.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text columns of a service's schema and their lengths, for the tests that compare them with the limits the
 * service's validation applies (so a column and the check in front of it cannot drift apart). Needs a PostgreSQL
 * JDBC driver on the class path, as every service with a database has for Flyway.
 */
public final class SchemaColumns {

    /** The length reported for a column without one ({@code TEXT}, {@code VARCHAR} without a length). */
    public static final int UNBOUNDED = -1;

    private SchemaColumns() {
    }

    /** {@link #textColumns(String, String)} of the database the running Quarkus application (or test) is configured with. */
    public static Map<String, Integer> textColumnsOfThisService() {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return textColumns(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class));
    }

    /**
     * Every {@code character varying}, {@code character} and {@code text} column of the public schema but Flyway's
     * own, as {@code table.column} to its length in characters ({@link #UNBOUNDED} for text).
     */
    public static Map<String, Integer> textColumns(String jdbcUrl, String user) {
        Map<String, Integer> columns = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "");
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT table_name, column_name, character_maximum_length FROM information_schema.columns
                     WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'
                       AND data_type IN ('character varying', 'character', 'text')""")) {
            while (rs.next()) {
                String column = rs.getString(1) + "." + rs.getString(2);
                int length = rs.getInt(3);
                columns.put(column, rs.wasNull() ? UNBOUNDED : length);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema of " + jdbcUrl + ": " + e.getMessage(), e);
        }
        return columns;
    }
}
