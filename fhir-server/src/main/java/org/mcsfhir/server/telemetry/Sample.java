package org.mcsfhir.server.telemetry;

/**
 * One value of one channel at one instant, as it will be stored.
 *
 * @param channel the channel
 * @param timeMs the instant in epoch milliseconds, truncated to the sample period grid
 * @param value the value in the channel's unit
 * @param line where it came from in the request body (1-based), for error messages
 */
record Sample(Channel channel, long timeMs, double value, int line) {}
