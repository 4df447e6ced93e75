package org.mcsfhir.server.telemetry;

/**
 * The gateway's answer once a request is committed.
 *
 * @param accepted values stored now
 * @param duplicates values already stored with the same value (or repeated within the request): nothing changed
 * @param conflicts values whose instant already holds a different value: reported, not stored
 * @param windows distinct device/channel/windows that received accepted values
 */
record IngestResult(int accepted, int duplicates, int conflicts, int windows) {}
