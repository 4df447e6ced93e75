package org.mcsfhir.server.registry;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Keeps one {@code Group} per implanting centre ({@code Group/mcs-centre-<organization id>}) whose members are the
 * patients the centre manages ({@code Patient.managingOrganization}), so that a registry can pull one centre's cohort
 * with {@code GET /fhir/Group/mcs-centre-<id>/$export}. Membership is updated after the patient's transaction commits,
 * on one background thread: a patient write never waits for, or fails because of, the Group (two patients of one
 * centre written at once would otherwise conflict on the Group's version). A patient whose centre changes moves to
 * the new centre's Group. Deleting a Patient takes it out of its Group in the same transaction (otherwise HAPI would
 * refuse the delete: the Group still references it).
 */
@Interceptor
class CentreGroups implements AutoCloseable {

    static final String GROUP_ID_PREFIX = "mcs-centre-";
    private static final Logger log = LoggerFactory.getLogger(CentreGroups.class);
    private static final int ATTEMPTS = 5;

    private final IFhirResourceDao<Group> groups;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "mcs-centre-groups");
        thread.setDaemon(true);
        return thread;
    });

    CentreGroups(DaoRegistry daos) {
        this.groups = daos.getResourceDao(Group.class);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void patientCreated(IBaseResource resource) {
        onPatientWritten(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void patientUpdated(IBaseResource previous, IBaseResource resource) {
        onPatientWritten(resource);
    }

    private void onPatientWritten(IBaseResource resource) {
        if (!(resource instanceof Patient patient) || !patient.getIdElement().hasIdPart()) {
            return;
        }
        String patientId = patient.getIdElement().getIdPart();
        String centreId = patient.hasManagingOrganization()
                ? new IdType(patient.getManagingOrganization().getReference()).getIdPart()
                : null;
        Runnable update = () -> worker.execute(() -> sync(patientId, centreId));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    update.run();
                }
            });
        } else {
            update.run();
        }
    }

    /**
     * A deleted Patient leaves its centre Group in the delete's own transaction: a Group still naming it would make
     * HAPI refuse the delete (H2) or, where the conflict goes unnoticed (seen on PostgreSQL), leave a Group that can no
     * longer be updated (referential integrity on write).
     */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void patientDeleted(IBaseResource resource) {
        if (resource instanceof Patient patient && patient.getIdElement().hasIdPart()) {
            syncOnce(patient.getIdElement().getIdPart(), null);
        }
    }

    static String groupIdFor(String centreId) {
        String id = GROUP_ID_PREFIX + centreId;
        return id.length() <= 64 ? id : id.substring(0, 64);
    }

    private void sync(String patientId, String centreId) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                syncOnce(patientId, centreId);
                return;
            } catch (ResourceVersionConflictException e) {
                // another node updated the Group at the same moment: read it again and retry
            } catch (RuntimeException e) {
                log.warn("MCS-0820: could not update the centre Group of Patient/{}: {}", patientId, e.getMessage());
                return;
            }
        }
        log.warn("MCS-0820: gave up updating the centre Group of Patient/{} after {} conflicts", patientId, ATTEMPTS);
    }

    private void syncOnce(String patientId, String centreId) {
        String member = "Patient/" + patientId;
        String target = centreId == null ? null : groupIdFor(centreId);
        SearchParameterMap containing =
                SearchParameterMap.newSynchronous().add(Group.SP_MEMBER, new ReferenceParam(member));
        for (IBaseResource found :
                groups.search(containing, new SystemRequestDetails()).getAllResources()) {
            Group group = (Group) found;
            String id = group.getIdElement().getIdPart();
            if (id.startsWith(GROUP_ID_PREFIX) && !id.equals(target)) {
                group.getMember().removeIf(m -> member.equals(m.getEntity().getReference()));
                groups.update(group, new SystemRequestDetails());
            }
        }
        if (target == null) {
            return;
        }
        Group group;
        try {
            group = groups.read(new IdType("Group", target), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            group = new Group();
            group.setId("Group/" + target);
            group.setType(Group.GroupType.PERSON);
            group.setActual(true);
            group.setName("Patients of implanting centre " + centreId);
            group.setManagingEntity(new Reference("Organization/" + centreId));
        }
        if (group.getMember().stream().anyMatch(m -> member.equals(m.getEntity().getReference()))) {
            return;
        }
        group.addMember().setEntity(new Reference(member));
        groups.update(group, new SystemRequestDetails());
    }

    @Override
    public void close() throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
