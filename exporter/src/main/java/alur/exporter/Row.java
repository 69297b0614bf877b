package alur.exporter;

import io.camunda.zeebe.protocol.record.Record;

/**
 * One row of the {@code engine_record} table, taken from a record while the exporter holds it
 * (the broker may reuse a record's buffer after {@code export} returns, so nothing is read from
 * the record later).
 */
final class Row {
  final int partitionId;
  final long position;
  final long recordKey;
  final String valueType;
  final String intent;
  final long timestampMs;
  final Long processInstanceKey;
  final String bpmnProcessId;
  final String elementId;
  final Long elementInstanceKey;
  final String elementType;
  final String jobType;
  final String worker;
  final String json;

  Row(
      final Record<?> record,
      final long processInstanceKey,
      final String bpmnProcessId,
      final String elementId,
      final long elementInstanceKey,
      final String elementType,
      final String jobType,
      final String worker) {
    this.partitionId = record.getPartitionId();
    this.position = record.getPosition();
    this.recordKey = record.getKey();
    this.valueType = record.getValueType().name();
    this.intent = record.getIntent().name();
    this.timestampMs = record.getTimestamp();
    // Zeebe says -1 where a record has no such key (a job of no instance, say).
    this.processInstanceKey = processInstanceKey > 0 ? processInstanceKey : null;
    this.bpmnProcessId = blankToNull(bpmnProcessId);
    this.elementId = blankToNull(elementId);
    this.elementInstanceKey = elementInstanceKey > 0 ? elementInstanceKey : null;
    this.elementType = elementType;
    this.jobType = blankToNull(jobType);
    this.worker = blankToNull(worker);
    this.json = record.toJson();
  }

  private static String blankToNull(final String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
