/**
 * The fan-out port ({@link dev.parley.broker.Broker}) and its adapters, one file each: how a
 * committed message reaches every node that has sockets in its room.
 */
package dev.parley.broker;
