package org.mcsfhir.server.errors;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether a failure means the database could not be reached (down, restarting, the network to it gone, the pool out
 * of connections), as opposed to a fault in what was asked of it. Such a failure is the operator's to fix and the
 * client's to retry: it is answered 503 with Retry-After instead of 500, logged without a stack trace, and work
 * queued for the database (AuditEvents) is kept for a later attempt instead of being given up.
 */
public final class DatabaseOutage {

    /** How long a client is asked to wait before retrying (Retry-After, seconds). */
    public static final int RETRY_AFTER_SECONDS = 10;

    private DatabaseOutage() {}

    /** True when {@code failure} or one of its causes says the database could not be reached. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException // Hikari: no connection within connection-timeout
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || t instanceof org.hibernate.exception.JDBCConnectionException
                    || t instanceof org.springframework.jdbc.CannotGetJdbcConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && connectionState(sql.getSQLState())) {
                return true;
            }
            // A rollback or commit that fails without a state of its own (Hikari's "Connection is closed") follows
            // a connection lost mid-transaction; Spring then throws this instead of the original connection error.
            // (Hikari also closes a connection after SQLSTATE 0A000, a statement the database does not support: such
            // a bug would be answered 503 here too. No query of this server's or HAPI's is known to provoke it.)
            if (t instanceof org.hibernate.TransactionException
                    && t.getCause() instanceof SQLException sql
                    && (sql.getSQLState() == null || connectionState(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE class 08 (connection exception) and 57P0x (the server shutting down, PostgreSQL's "admin shutdown"). */
    private static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /** The innermost message, for a one-line log entry. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
