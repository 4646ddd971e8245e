/** The agents' browser console: sign-in through the switchboard, one upstream socket per agent, enriched frames. */
package dev.switchboard.console;
