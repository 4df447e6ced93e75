package org.mcsfhir.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.TransactionException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

/** The failures that mean "the database could not be reached", as the server meets them, and some that do not. */
class DatabaseOutageTest {

    @Test
    void theWaysAnUnreachableDatabaseShowsAreRecognised() {
        SQLTransientConnectionException poolTimeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 5000ms");
        poolTimeout.initCause(new SQLException("Connection refused", "08001", new ConnectException("refused")));
        assertThat(DatabaseOutage.causedBy(poolTimeout)).isTrue();
        // opening a transaction (Spring) or a query (Hibernate) without a connection
        assertThat(DatabaseOutage.causedBy(new CannotCreateTransactionException("no EntityManager", poolTimeout)))
                .isTrue();
        assertThat(DatabaseOutage.causedBy(new JDBCConnectionException("unable to acquire", poolTimeout)))
                .isTrue();
        // a connection lost mid-query (PostgreSQL: 08006) or the server shutting down (57P01)
        assertThat(DatabaseOutage.causedBy(new RuntimeException(new SQLException("I/O error", "08006"))))
                .isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("terminating connection", "57P01")))
                .isTrue();
        // Spring's rollback failure replacing the original error: Hikari's closed connection has no state
        assertThat(DatabaseOutage.causedBy(new JpaSystemException(new TransactionException(
                        "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")))))
                .isTrue();
    }

    @Test
    void faultsInWhatWasAskedAreNot() {
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new DataIntegrityViolationException(
                        "duplicate",
                        new ConstraintViolationException(
                                "duplicate key",
                                new SQLIntegrityConstraintViolationException("duplicate key", "23505"),
                                "IDX_X"))))
                .isFalse();
        // a commit refused for a serialisation conflict is the client's to retry, but not an outage
        assertThat(DatabaseOutage.causedBy(new TransactionException(
                        "Unable to commit against JDBC Connection", new SQLException("could not serialize", "40001"))))
                .isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("syntax error", "42601")))
                .isFalse();
    }

    @Test
    void theRootMessageIsTheInnermost() {
        assertThat(DatabaseOutage.rootMessage(
                        new CannotCreateTransactionException("outer", new SQLException("Connection refused"))))
                .isEqualTo("Connection refused");
    }
}
