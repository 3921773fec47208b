/**
 * Cluster coordination ports and their adapters, one file each: {@link dev.parley.broker.Broker}
 * carries committed messages and {@link dev.parley.broker.Signal}s (presence, typing, renames)
 * between nodes; {@link dev.parley.broker.Presence} knows who is in which room on every node and
 * reports the users of a node that died; {@link dev.parley.broker.NameLeases} keeps the names of
 * online users unique across nodes. The in-process adapters serve a single node; the Redis
 * adapters ({@code Redis*}) a cluster.
 */
package dev.parley.broker;
