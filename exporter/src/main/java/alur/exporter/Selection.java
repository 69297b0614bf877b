package alur.exporter;

import io.camunda.zeebe.exporter.api.context.Context.RecordFilter;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.Intent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which of the engine's records Alur keeps, and the columns it reads from each.
 *
 * <p>Two stages. The broker asks {@link #FILTER} before it hands a record over: only events
 * (what happened, never commands or rejections) of the value types below. Then {@link #rowOf}
 * keeps, of those, the intents and element types Alur reads, so the table stays small (an
 * instance's tokens entering and leaving every gateway and flow are not worth a row).
 *
 * <p>To keep more, add the value type to {@link #VALUE_TYPES} and a case to {@link #rowOf}.
 */
final class Selection {

  /** Value types the broker hands to the exporter. */
  static final Set<ValueType> VALUE_TYPES =
      EnumSet.of(ValueType.JOB, ValueType.PROCESS_INSTANCE, ValueType.INCIDENT);

  /** Job events kept: the job's end, and what happened on the way (by whom: the worker). */
  static final Set<JobIntent> JOB_INTENTS =
      EnumSet.of(
          JobIntent.COMPLETED,
          JobIntent.FAILED,
          JobIntent.ERROR_THROWN,
          JobIntent.TIMED_OUT,
          JobIntent.CANCELED);

  /** Element events kept: an element finished, or was terminated (cancelled, interrupted). */
  static final Set<ProcessInstanceIntent> ELEMENT_INTENTS =
      EnumSet.of(ProcessInstanceIntent.ELEMENT_COMPLETED, ProcessInstanceIntent.ELEMENT_TERMINATED);

  /**
   * Element types kept: the instance itself, the tasks, the events that mean time passed or an
   * outcome was reached (a boundary timer fired, a catch event happened, which end was taken).
   */
  static final Set<BpmnElementType> ELEMENT_TYPES =
      EnumSet.of(
          BpmnElementType.PROCESS,
          BpmnElementType.SERVICE_TASK,
          BpmnElementType.SEND_TASK,
          BpmnElementType.USER_TASK,
          BpmnElementType.BOUNDARY_EVENT,
          BpmnElementType.INTERMEDIATE_CATCH_EVENT,
          BpmnElementType.END_EVENT);

  static final RecordFilter FILTER =
      new RecordFilter() {
        @Override
        public boolean acceptType(final RecordType recordType) {
          return recordType == RecordType.EVENT;
        }

        @Override
        public boolean acceptValue(final ValueType valueType) {
          return VALUE_TYPES.contains(valueType);
        }
      };

  private Selection() {}

  /**
   * The instance's termination began (an operator's CancelProcessInstance): it comes before
   * the jobs of its open tasks are cancelled, so Alur can tell "cancelled with its case" from
   * "the process moved on without it".
   */
  private static boolean isCancellationStart(
      final ProcessInstanceIntent intent, final ProcessInstanceRecordValue value) {
    return intent == ProcessInstanceIntent.ELEMENT_TERMINATING
        && value.getBpmnElementType() == BpmnElementType.PROCESS;
  }

  /** The row of a record Alur keeps, or null for one it does not. */
  static Row rowOf(final Record<?> record) {
    if (record.getRecordType() != RecordType.EVENT) {
      return null;
    }
    final Intent intent = record.getIntent();
    switch (record.getValueType()) {
      case JOB:
        {
          if (!(intent instanceof JobIntent job) || !JOB_INTENTS.contains(job)) {
            return null;
          }
          final JobRecordValue value = (JobRecordValue) record.getValue();
          return new Row(
              record,
              value.getProcessInstanceKey(),
              value.getBpmnProcessId(),
              value.getElementId(),
              value.getElementInstanceKey(),
              null,
              value.getType(),
              value.getWorker());
        }
      case PROCESS_INSTANCE:
        {
          final ProcessInstanceRecordValue value = (ProcessInstanceRecordValue) record.getValue();
          if (!(intent instanceof ProcessInstanceIntent element)
              || !(ELEMENT_INTENTS.contains(element) || isCancellationStart(element, value))
              || !ELEMENT_TYPES.contains(value.getBpmnElementType())) {
            return null;
          }
          return new Row(
              record,
              value.getProcessInstanceKey(),
              value.getBpmnProcessId(),
              value.getElementId(),
              record.getKey(),
              value.getBpmnElementType().name(),
              null,
              null);
        }
      case INCIDENT:
        {
          final IncidentRecordValue value = (IncidentRecordValue) record.getValue();
          return new Row(
              record,
              value.getProcessInstanceKey(),
              value.getBpmnProcessId(),
              value.getElementId(),
              value.getElementInstanceKey(),
              null,
              null,
              null);
        }
      default:
        return null;
    }
  }
}
