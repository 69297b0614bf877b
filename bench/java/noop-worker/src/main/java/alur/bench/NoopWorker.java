package alur.bench;

import io.camunda.zeebe.client.ZeebeClient;
import io.camunda.zeebe.client.api.worker.JobWorker;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java side of benchmark 1 (bench/engine.py): no-op job workers on Zeebe's Java client.
 *
 * <p>{@code java -cp noop-worker.jar:lib/* alur.bench.NoopWorker GRPC REST EVENTS TYPE...}
 * opens one worker per job type (TYPE number k is step k of the diagram) with job streaming
 * and 256 active jobs, the settings Alur's pyzeebe runtime uses; every other option is the
 * client's default (one job-handler thread). A handler records when it ran, then completes
 * the job without waiting for the answer, as pyzeebe's own job tasks do.
 *
 * <p>Protocol with the benchmark, the same as bench/engine_worker.py: prints {@code ready}, then
 * {@code done N} (jobs of the last step handled so far) whenever N changes, at most every
 * 20 ms; end of stdin stops it: it closes the workers, writes one line per job, {@code
 * <step> <process instance key> <epoch microseconds>}, to EVENTS and prints {@code stopped F}
 * with F the completions the broker refused.
 */
public final class NoopWorker {
  private static final int MAX_JOBS_ACTIVE = 256;
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

  private NoopWorker() {}

  private static long epochMicros() {
    final Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
  }

  public static void main(final String[] args) throws IOException, InterruptedException {
    if (args.length < 4) {
      System.err.println("usage: NoopWorker GRPC_ADDRESS REST_URL EVENTS_FILE TYPE...");
      System.exit(2);
    }
    final String grpcAddress = args[0];
    final String restUrl = args[1];
    final Path eventsFile = Path.of(args[2]);
    final List<String> types = Arrays.asList(args).subList(3, args.length);

    final ConcurrentLinkedQueue<long[]> events = new ConcurrentLinkedQueue<>();
    final AtomicLong lastStepDone = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    final ZeebeClient client =
        ZeebeClient.newClientBuilder()
            .grpcAddress(URI.create("http://" + grpcAddress))
            .restAddress(URI.create(restUrl))
            .usePlaintext()
            // Zeebe's own retry policy (gateway-service-config.json): a command refused with
            // back-pressure is sent again, as Alur's channels do (alur.backpressure).
            .useDefaultRetryPolicy(true)
            .build();
    final List<JobWorker> workers = new ArrayList<>();
    for (int index = 0; index < types.size(); index++) {
      final long step = index + 1;
      final boolean last = index == types.size() - 1;
      workers.add(
          client
              .newWorker()
              .jobType(types.get(index))
              .handler(
                  (jobClient, job) -> {
                    events.add(new long[] {step, job.getProcessInstanceKey(), epochMicros()});
                    if (last) {
                      lastStepDone.incrementAndGet();
                    }
                    jobClient
                        .newCompleteCommand(job.getKey())
                        .send()
                        .whenComplete(
                            (response, error) -> {
                              if (error != null) {
                                refused.incrementAndGet();
                                System.err.println("complete failed: " + error);
                              }
                            });
                  })
              .name("bench-noop-java")
              .maxJobsActive(MAX_JOBS_ACTIVE)
              .timeout(JOB_TIMEOUT)
              .streamEnabled(true)
              .open());
    }
    System.out.println("ready");
    System.out.flush();

    final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    final long[] told = {-1};
    ticker.scheduleAtFixedRate(
        () -> {
          final long done = lastStepDone.get();
          if (done != told[0]) {
            told[0] = done;
            System.out.println("done " + done);
            System.out.flush();
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);

    final InputStream stdin = System.in;
    final byte[] buffer = new byte[256];
    while (stdin.read(buffer) != -1) {
      // Nothing is said on stdin: its end is the signal to stop.
    }
    ticker.shutdownNow();
    ticker.awaitTermination(1, TimeUnit.SECONDS);
    for (final JobWorker worker : workers) {
      worker.close();
    }
    client.close();
    try (BufferedWriter out = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8)) {
      for (final long[] event : events) {
        out.write(event[0] + " " + event[1] + " " + event[2]);
        out.newLine();
      }
    }
    System.out.println("stopped " + refused.get());
    System.out.flush();
  }
}
