/**
 * The application: reads configuration (flags and {@code PARLEY_*} environment variables),
 * chooses the store and broker adapters, and wires them to the hub and the web server.
 */
package dev.parley.app;
