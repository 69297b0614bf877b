package alur.exporter;

import java.util.Locale;
import java.util.Map;

/**
 * The exporter's arguments, from the broker's configuration: {@code
 * ZEEBE_BROKER_EXPORTERS_ALUR_ARGS_URL=jdbc:...} and so on.
 *
 * <p>Spring binds environment variables to lower-case map keys ({@code ..._ARGS_BATCHSIZE}
 * arrives as {@code batchsize}) while a YAML file keeps its own spelling ({@code batchSize}), so
 * keys are read without regard to case.
 */
final class Config {
  /** JDBC URL of Alur's database: {@code jdbc:sqlite:/path/alur.db} or {@code jdbc:postgresql:}. */
  final String url;

  final String user;
  final String password;

  /** Rows that start a transaction at once, without waiting for {@code flushIntervalMs}. */
  final int batchSize;

  /** How long a row waits for others to share its transaction, in milliseconds. */
  final long flushIntervalMs;

  /** Rows held at most while the database refuses writes; then the broker waits for us. */
  final int maxHeld;

  /** The longest wait between two attempts while the database refuses writes. */
  final long maxRetryDelayMs;

  /** SQLite: how long a write waits for Alur's own writers to release the file. */
  final int busyTimeoutMs;

  private Config(final Map<String, String> args) {
    url = args.getOrDefault("url", "");
    user = args.get("user");
    password = args.get("password");
    batchSize = positive(args, "batchsize", 500);
    flushIntervalMs = positive(args, "flushintervalms", 50);
    maxHeld = positive(args, "maxheld", 10 * batchSize);
    maxRetryDelayMs = positive(args, "maxretrydelayms", 10_000);
    busyTimeoutMs = positive(args, "busytimeoutms", 10_000);
    if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "the Alur exporter needs args.url, a jdbc:sqlite: or jdbc:postgresql: URL (got '"
              + url
              + "')");
    }
  }

  static Config from(final Map<String, Object> arguments) {
    final Map<String, String> args = new java.util.HashMap<>();
    if (arguments != null) {
      arguments.forEach(
          (key, value) -> {
            if (value != null) {
              args.put(key.toLowerCase(Locale.ROOT), String.valueOf(value));
            }
          });
    }
    return new Config(args);
  }

  boolean isSqlite() {
    return url.startsWith("jdbc:sqlite:");
  }

  /** The URL as logs may show it (a PostgreSQL password never is in it: it is its own arg). */
  String describe() {
    final int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static int positive(final Map<String, String> args, final String key, final int dflt) {
    final String raw = args.get(key);
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    final int value = Integer.parseInt(raw.trim());
    if (value <= 0) {
      throw new IllegalArgumentException("the Alur exporter's " + key + " must be positive");
    }
    return value;
  }
}
