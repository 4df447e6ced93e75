package org.mcsfhir.server.telemetry;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.SampledData;
import org.mcsfhir.server.errors.DatabaseOutage;
import org.mcsfhir.server.guide.GuideCodes;
import org.mcsfhir.server.validation.ValidationBypass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns windows that received samples into mcs-pump-telemetry Observations through HAPI, in the background.
 *
 * <p>The queue ({@code mcs_tel_pending}) is written in the same transaction as the samples, so it survives a crash: on
 * restart the materializer simply carries on. A window is written once its oldest queue entry is
 * {@code materialize-delay} old, coalescing every batch that arrived meanwhile into one resource write. Windows are
 * written {@code materializer-windows-per-transaction} at a time as one FHIR transaction Bundle (HAPI resolves their
 * ids in bulk and commits once); their queue entries are removed afterwards, so a crash in between only means the
 * windows are written again, which changes nothing (same content, same id). A chunk that fails is retried window by
 * window, and a window that still fails (say its Device was deleted) is postponed, its samples kept. Observations
 * written here carry the validation feature's skip flag: they are built to the profile, which a unit test checks
 * against the guide package.
 */
class WindowMaterializer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WindowMaterializer.class);
    private static final long FAILURE_BACKOFF_MS = 60_000;

    private final TelemetryProperties properties;
    private final SampleStore store;
    private final DeviceResolver devices;
    private final IFhirResourceDao<Observation> observations;
    private final IFhirSystemDao<Bundle, ?> system;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile boolean stopping;
    private final AtomicLong written = new AtomicLong();
    private volatile ScheduledExecutorService executor;

    WindowMaterializer(
            TelemetryProperties properties,
            SampleStore store,
            DeviceResolver devices,
            DaoRegistry daos,
            IFhirSystemDao<Bundle, ?> system,
            PlatformTransactionManager transactionManager,
            DataSource dataSource,
            Clock clock,
            MeterRegistry meters) {
        this.properties = properties;
        this.store = store;
        this.devices = devices;
        this.observations = daos.getResourceDao(Observation.class);
        this.system = system;
        this.transactions = new TransactionTemplate(transactionManager);
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        Gauge.builder("mcs.telemetry.materializer.windows.written", written, AtomicLong::get)
                .description("window Observations written since start")
                .register(meters);
        Gauge.builder("mcs.telemetry.materializer.queue.entries", store, SampleStore::pendingEntries)
                .description("entries in the queue of windows waiting to be written as Observations")
                .register(meters);
    }

    @Override
    public void start() {
        stopping = false;
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "telemetry-materializer");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.materializerInterval().toMillis();
        executor.scheduleWithFixedDelay(this::drainSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopping = true;
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /** After HAPI's own lifecycle beans, before the DataSource goes away. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void drainSafely() {
        try {
            drain();
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) { // one line a round, not a stack trace, while the database is away
                log.warn(
                        "telemetry materializer round failed, the database is unavailable ({}); retrying next round",
                        DatabaseOutage.rootMessage(e));
            } else {
                log.warn("telemetry materializer round failed; retrying next round", e);
            }
        }
    }

    /** Writes every window that is due, batch by batch. @return windows written */
    int drain() {
        int total = 0;
        int perTransaction = properties.materializerWindowsPerTransaction();
        for (; ; ) {
            List<SampleStore.PendingWindow> due = store.dueWindows(
                    clock.millis() - properties.materializeDelay().toMillis(), properties.materializerBatch());
            for (int from = 0; from < due.size(); from += perTransaction) {
                if (stopping) {
                    return total;
                }
                total += writeChunk(due.subList(from, Math.min(due.size(), from + perTransaction)));
            }
            if (due.size() < properties.materializerBatch()) {
                return total;
            }
        }
    }

    /**
     * Several windows in one database transaction: one commit (one WAL flush) for all of them. If any of them fails,
     * they are retried one by one, so one bad window does not hold the others back.
     */
    private int writeChunk(List<SampleStore.PendingWindow> chunk) {
        if (chunk.size() > 1) {
            try {
                SystemRequestDetails request = systemRequest();
                Map<String, Observation> existing = transactions.execute(status -> existing(chunk, request));
                Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                for (SampleStore.PendingWindow window : chunk) {
                    Observation observation = build(window, existing.get(identifier(window)));
                    String url = "Observation/" + observation.getIdElement().getIdPart();
                    bundle.addEntry()
                            .setFullUrl(url)
                            .setResource(observation)
                            .getRequest()
                            .setMethod(Bundle.HTTPVerb.PUT)
                            .setUrl(url);
                }
                // one FHIR transaction for the chunk: HAPI resolves its ids in bulk and commits once
                system.transaction(request, bundle);
                transactions.executeWithoutResult(status -> chunk.forEach(window -> store.deletePending(jdbc, window)));
                written.addAndGet(chunk.size());
                return chunk.size();
            } catch (RuntimeException e) {
                log.debug("a batch of telemetry windows failed; writing them one by one", e);
            }
        }
        int count = 0;
        for (SampleStore.PendingWindow window : chunk) {
            if (materialize(window)) {
                count++;
            }
        }
        return count;
    }

    private boolean materialize(SampleStore.PendingWindow window) {
        try {
            transactions.executeWithoutResult(status -> {
                SystemRequestDetails request = systemRequest();
                write(window, existing(List.of(window), request).get(identifier(window)), request);
            });
            written.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            // e.g. the Device or Patient was deleted meanwhile: keep the samples, try the window again later
            store.postpone(window, clock.millis() + FAILURE_BACKOFF_MS);
            log.warn(
                    "could not write telemetry window {}; retrying in {} s: {}",
                    identifier(window),
                    FAILURE_BACKOFF_MS / 1000,
                    e.toString());
            return false;
        }
    }

    /** Writes one window and dequeues it, in the caller's transaction. */
    private void write(SampleStore.PendingWindow window, Observation existing, SystemRequestDetails request) {
        observations.update(build(window, existing), request);
        store.deletePending(jdbc, window);
    }

    /** The window from the sample table, plus what a directly posted version of it holds that the table does not. */
    private Observation build(SampleStore.PendingWindow window, Observation existing) {
        DeviceResolver.DeviceLink link = devices.resolve(window.deviceId());
        double[] slots = new double[properties.slotsPerWindow()];
        Arrays.fill(slots, Double.NaN);
        long periodMs = properties.periodMs();
        store.readSeries(
                window.deviceId(),
                window.channel(),
                window.windowStartMs(),
                window.windowStartMs() + properties.windowMs(),
                (timeMs, value) -> slots[(int) ((timeMs - window.windowStartMs()) / periodMs)] = value);
        if (existing != null) {
            keepValuesOnlyIn(existing, slots, periodMs);
        }
        Observation observation = WindowObservations.window(
                link, window.channel(), window.windowStartMs(), properties.windowMs(), periodMs, slots);
        if (existing != null) {
            observation.setId(new IdType("Observation", existing.getIdElement().getIdPart()));
        }
        return observation;
    }

    private static SystemRequestDetails systemRequest() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.getUserData().put(ValidationBypass.USER_DATA_KEY, Boolean.TRUE);
        return request;
    }

    private static String identifier(SampleStore.PendingWindow window) {
        return WindowObservations.windowIdentifier(window.deviceId(), window.channel(), window.windowStartMs());
    }

    /** The stored Observations of these windows, by identifier value (ours, or ones posted directly over FHIR). */
    private Map<String, Observation> existing(List<SampleStore.PendingWindow> windows, SystemRequestDetails request) {
        TokenOrListParam identifiers = new TokenOrListParam();
        windows.forEach(window -> identifiers.add(GuideCodes.TELEMETRY_WINDOW_IDENTIFIER_SYSTEM, identifier(window)));
        SearchParameterMap search = SearchParameterMap.newSynchronous().add(Observation.SP_IDENTIFIER, identifiers);
        IBundleProvider found = observations.search(search, request);
        Map<String, Observation> byIdentifier = new HashMap<>();
        for (IBaseResource resource : found.getAllResources()) {
            Observation observation = (Observation) resource;
            observation.getIdentifier().stream()
                    .filter(id -> GuideCodes.TELEMETRY_WINDOW_IDENTIFIER_SYSTEM.equals(id.getSystem()))
                    .forEach(id -> byIdentifier.putIfAbsent(id.getValue(), observation));
        }
        return byIdentifier;
    }

    /**
     * A window posted directly over FHIR may hold values the sample table does not (that path does not go through
     * the gateway): rewriting it must not drop them. Gateway samples win where both have a value.
     */
    static void keepValuesOnlyIn(Observation existing, double[] slots, long periodMs) {
        if (!existing.hasValueSampledData()) {
            return;
        }
        SampledData data = existing.getValueSampledData();
        if (!data.hasData()
                || data.getPeriod() == null
                || data.getPeriod().longValue() != periodMs
                || data.getDimensions() != 1) {
            return;
        }
        double origin = data.hasOrigin() && data.getOrigin().hasValue()
                ? data.getOrigin().getValue().doubleValue()
                : 0;
        double factor = data.hasFactor() ? data.getFactor().doubleValue() : 1;
        String[] tokens = data.getData().trim().split("\\s+");
        for (int i = 0; i < Math.min(tokens.length, slots.length); i++) {
            if (Double.isNaN(slots[i])) {
                try {
                    slots[i] = origin + factor * Double.parseDouble(tokens[i]);
                } catch (NumberFormatException notAValue) {
                    // E, L, U: nothing to keep
                }
            }
        }
    }

    long windowsWritten() {
        return written.get();
    }
}
