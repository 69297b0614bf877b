package alur.exporter;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Properties;

/**
 * Writes rows into Alur's database over JDBC: one transaction per batch, each row inserted
 * unless its (partition, position) is there already.
 *
 * <p>The driver is instantiated directly rather than found through {@code DriverManager}: the
 * broker loads this jar in a class loader of its own, which {@code DriverManager} (in the
 * platform loader) neither searches for drivers nor trusts for a caller.
 */
final class JdbcSink implements AutoCloseable {

  static final String TABLE = "engine_record";

  /** {@code ON CONFLICT DO NOTHING}: SQLite 3.24+ and PostgreSQL 9.5+ alike. */
  static final String INSERT =
      "INSERT INTO "
          + TABLE
          + " (partition_id, position, record_key, value_type, intent, timestamp_ms,"
          + " process_instance_key, bpmn_process_id, element_id, element_instance_key,"
          + " element_type, job_type, worker, record_json, written_at_ms)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (partition_id, position) DO NOTHING";

  private final Config config;
  private Connection connection;

  JdbcSink(final Config config) {
    this.config = config;
  }

  /** Writes every row in one transaction; on failure nothing is written and the link is reset. */
  void write(final List<Row> rows) throws SQLException {
    final Connection link = connection();
    try (PreparedStatement insert = link.prepareStatement(INSERT)) {
      final long now = System.currentTimeMillis();
      for (final Row row : rows) {
        insert.setInt(1, row.partitionId);
        insert.setLong(2, row.position);
        insert.setLong(3, row.recordKey);
        insert.setString(4, row.valueType);
        insert.setString(5, row.intent);
        insert.setLong(6, row.timestampMs);
        setLong(insert, 7, row.processInstanceKey);
        insert.setString(8, row.bpmnProcessId);
        insert.setString(9, row.elementId);
        setLong(insert, 10, row.elementInstanceKey);
        insert.setString(11, row.elementType);
        insert.setString(12, row.jobType);
        insert.setString(13, row.worker);
        insert.setString(14, row.json);
        insert.setLong(15, now);
        insert.addBatch();
      }
      insert.executeBatch();
      link.commit();
    } catch (SQLException | RuntimeException e) {
      reset();
      throw e;
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = open();
    }
    return connection;
  }

  private Connection open() throws SQLException {
    final Properties properties = new Properties();
    final Driver driver;
    if (config.isSqlite()) {
      driver = new org.sqlite.JDBC();
    } else {
      driver = new org.postgresql.Driver();
      if (config.user != null) {
        properties.setProperty("user", config.user);
      }
      if (config.password != null) {
        properties.setProperty("password", config.password);
      }
      properties.setProperty("ApplicationName", "alur-exporter");
    }
    final Connection link = driver.connect(config.url, properties);
    if (link == null) {
      throw new SQLException("no JDBC driver takes " + config.describe());
    }
    try {
      if (config.isSqlite()) {
        try (Statement pragma = link.createStatement()) {
          // As storage/db.py: WAL (Alur's readers do not wait for us), and wait for Alur's
          // writers instead of failing at once with SQLITE_BUSY.
          pragma.execute("PRAGMA busy_timeout = " + config.busyTimeoutMs);
          pragma.execute("PRAGMA journal_mode = WAL");
        }
      }
      link.setAutoCommit(false);
      return link;
    } catch (SQLException | RuntimeException e) {
      link.close();
      throw e;
    }
  }

  private void reset() {
    if (connection == null) {
      return;
    }
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException ignored) {
      // The link is being dropped anyway.
    }
    close();
  }

  @Override
  public void close() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException | RuntimeException ignored) {
      // Closing a broken link: nothing more to do.
    } finally {
      connection = null;
    }
  }

  private static void setLong(final PreparedStatement statement, final int index, final Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }
}
