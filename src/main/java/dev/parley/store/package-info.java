/**
 * The message-store port ({@link dev.parley.store.MessageStore}) and its adapters, one file
 * each: what makes a message durable, numbers it, and reads history, sessions and the
 * guest counter back.
 */
package dev.parley.store;
