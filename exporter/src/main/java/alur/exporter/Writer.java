package alur.exporter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.slf4j.Logger;

/**
 * The thread that writes one partition's rows and then tells the broker how far it has written.
 *
 * <p>The broker's exporter actor {@link #offer}s every record it hands over (with the record's
 * row, or none); this thread waits for a first row, gives the rest of its burst {@code
 * flushIntervalMs} to arrive (or less, once {@code batchSize} rows wait), writes them all in one
 * transaction and, after the commit, tells the position of the last record offered before it
 * took them: every row up to there is written, and the records in between kept none. Records
 * that keep no row are told after a quiet second. A write that fails is tried again, with the
 * rows offered meanwhile, after a pause that doubles up to {@code maxRetryDelayMs}.
 */
final class Writer implements Runnable {

  /** Records without rows are told after this long without rows. */
  private static final long QUIET_MS = 1_000;

  private final Config config;
  private final JdbcSink sink;
  private final LongConsumer tell;
  private final Logger log;

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a first row arrives, a batch fills up, or the writer is to stop. */
  private final Condition work = lock.newCondition();
  /** Signalled only to stop (ends a pause between failed attempts). */
  private final Condition stop = lock.newCondition();

  // Guarded by lock.
  private final List<Row> rows = new ArrayList<>();
  private long firstRowNanos;
  private long lastSeen;
  private int pendingCount;
  private boolean stopping;

  // The writer thread's own.
  private final List<Row> pending = new ArrayList<>();
  private long told;
  private int failures;
  private Thread thread;

  Writer(
      final Config config,
      final JdbcSink sink,
      final LongConsumer tell,
      final Logger log,
      final long from) {
    this.config = config;
    this.sink = sink;
    this.tell = tell;
    this.log = log;
    this.lastSeen = from;
    this.told = from;
  }

  void start(final String name) {
    thread = new Thread(this, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Takes the record at {@code position} with its row (null: it keeps none); false when too many
   * rows wait for the database already (the record is not taken: the broker offers it again).
   */
  boolean offer(final Row row, final long position) {
    lock.lock();
    try {
      if (position <= lastSeen) {
        return true; // taken when it was offered before
      }
      if (rows.size() + pendingCount >= config.maxHeld) {
        return false;
      }
      if (row != null) {
        rows.add(row);
        if (rows.size() == 1) {
          firstRowNanos = System.nanoTime();
          work.signal();
        } else if (rows.size() == config.batchSize) {
          work.signal();
        }
      }
      lastSeen = position;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Writes what is held once more (best effort), tells it, and ends the thread. */
  void stop() {
    lock.lock();
    try {
      stopping = true;
      work.signal();
      stop.signal();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(config.busyTimeoutMs + 5_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("Alur exporter's writer did not stop in time; its rows come again after restart");
      thread.interrupt();
    }
  }

  @Override
  public void run() {
    try {
      boolean last = false;
      while (!last) {
        final long upTo;
        lock.lock();
        try {
          last = awaitWork();
          pending.addAll(rows);
          rows.clear();
          pendingCount = pending.size();
          upTo = lastSeen;
        } finally {
          lock.unlock();
        }
        if (!write() && !last) {
          pause();
          continue;
        }
        if (upTo > told && pending.isEmpty()) {
          tell.accept(upTo);
          told = upTo;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("Alur exporter's writer stopped; records wait in the broker's log", e);
    } finally {
      sink.close();
    }
  }

  /** Under the lock: waits until there is something to write or tell; true when stopping. */
  private boolean awaitWork() throws InterruptedException {
    if (!pending.isEmpty()) {
      return stopping; // a failed write: try again with what came meanwhile
    }
    while (!stopping && rows.isEmpty()) {
      if (lastSeen > told) {
        if (!work.await(QUIET_MS, TimeUnit.MILLISECONDS)) {
          break; // only records without rows: tell them
        }
      } else {
        work.await();
      }
    }
    // Let the rest of the burst join the first row's transaction.
    final long deadline = firstRowNanos + TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs);
    while (!stopping && !rows.isEmpty() && rows.size() < config.batchSize) {
      final long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      work.awaitNanos(left);
    }
    return stopping;
  }

  /** Writes the pending rows; true when none are left (written, or there were none). */
  private boolean write() {
    if (pending.isEmpty()) {
      return true;
    }
    try {
      sink.write(pending);
    } catch (SQLException | RuntimeException e) {
      failures++;
      if (Integer.bitCount(failures) == 1) { // the 1st, 2nd, 4th, 8th... failure in a row
        log.warn(
            "Alur exporter could not write {} records to {} (failure {} in a row), keeping them: {}",
            pending.size(),
            config.describe(),
            failures,
            e.toString());
      }
      return false;
    }
    if (failures > 0) {
      log.info("Alur exporter writes to {} again after {} failures", config.describe(), failures);
      failures = 0;
    }
    pending.clear();
    lock.lock();
    try {
      pendingCount = 0;
    } finally {
      lock.unlock();
    }
    return true;
  }

  /** After a failed write: waits (or until stopped) before the next attempt. */
  private void pause() throws InterruptedException {
    final long delay =
        Math.min(config.maxRetryDelayMs, config.flushIntervalMs << Math.min(failures, 16));
    lock.lock();
    try {
      long left = TimeUnit.MILLISECONDS.toNanos(delay);
      while (!stopping && left > 0) {
        left = stop.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }
}
