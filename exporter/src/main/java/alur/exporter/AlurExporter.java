package alur.exporter;

import io.camunda.zeebe.exporter.api.Exporter;
import io.camunda.zeebe.exporter.api.context.Context;
import io.camunda.zeebe.exporter.api.context.Controller;
import io.camunda.zeebe.protocol.record.Record;
import org.slf4j.Logger;

/**
 * Alur's exporter: the engine's own record of what happened, into Alur's database.
 *
 * <p>The broker runs one instance per partition it leads and calls {@link #export} on its
 * exporter actor, one record after the other, in log order. The rows Alur keeps are handed to a
 * {@link Writer} thread of this instance's own, which writes them in one transaction and only
 * after the commit tells the broker the position exported up to. Nothing waits for the database
 * on the broker's thread, and a row's wait for its transaction is set by our clock, not by the
 * broker's timers (scheduled exporter tasks fired hundreds of milliseconds late when measured).
 *
 * <p>No gaps, no duplicates: a broker that stops before a position is told (or a new leader of
 * the partition) hands the records after the last told position over again; the table's
 * primary key, (partition, position), ignores the rows already there.
 *
 * <p>While the database refuses writes the rows are kept and tried again after a growing pause.
 * When {@code maxHeld} rows are waiting, {@link #export} throws: the broker stops handing over
 * records and offers the same one again later (it keeps its log until the position is told), so
 * memory stays bounded however long the outage.
 */
public final class AlurExporter implements Exporter {

  private Logger log;
  private Config config;
  private int partitionId;
  private Writer writer;

  @Override
  public void configure(final Context context) {
    log = context.getLogger();
    partitionId = context.getPartitionId();
    config = Config.from(context.getConfiguration().getArguments());
    context.setFilter(Selection.FILTER);
  }

  @Override
  public void open(final Controller controller) {
    final long from = controller.getLastExportedRecordPosition();
    log.info(
        "Alur exporter on partition {} writes to {} from position {}",
        partitionId,
        config.describe(),
        from);
    writer =
        new Writer(
            config, new JdbcSink(config), controller::updateLastExportedRecordPosition, log, from);
    writer.start("alur-exporter-" + partitionId);
  }

  @Override
  public void export(final Record<?> record) {
    if (!writer.offer(Selection.rowOf(record), record.getPosition())) {
      throw new IllegalStateException(
          "Alur exporter: "
              + config.maxHeld
              + " records wait for the database ("
              + config.describe()
              + "); the broker will offer this record again");
    }
  }

  @Override
  public void close() {
    if (writer != null) {
      writer.stop();
      writer = null;
    }
  }
}
