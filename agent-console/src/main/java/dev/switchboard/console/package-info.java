/**
 * The agents' browser console: sign-in through the switchboard, one upstream socket per agent, enriched frames, and
 * scoring of every customer message once from the messages stream ({@code scoring}, which depends on {@code enrich}'s
 * model and never the other way round).
 */
package dev.switchboard.console;
