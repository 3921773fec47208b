package dev.parley.broker;

/**
 * The Lua scripts of {@link RedisPresence}, one atomic step each; see its class comment for
 * the keys. Keys a script computes itself (from the namespace in ARGV) are those of rooms and
 * nodes it discovers; room names contain neither {@code :} nor a tab.
 */
final class RedisPresenceScripts {
  private RedisPresenceScripts() {}

  /** KEYS: members, holders, node rooms, nodes. ARGV: user, name, node id, entry. 1 when the user was in the room on no node. */
  static final String ENTER = """
      local first = redis.call('SCARD', KEYS[2]) == 0
      redis.call('SADD', KEYS[2], ARGV[3])
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      redis.call('SADD', KEYS[3], ARGV[4])
      redis.call('SADD', KEYS[4], ARGV[3])
      if first then return 1 end
      return 0
      """;

  /** KEYS: members, holders, node rooms. ARGV: user, node id, entry. 1 when the user is now in the room on no node. */
  static final String EXIT = """
      redis.call('SREM', KEYS[3], ARGV[3])
      if redis.call('SREM', KEYS[2], ARGV[2]) == 1 and redis.call('SCARD', KEYS[2]) == 0 then
        redis.call('HDEL', KEYS[1], ARGV[1])
        return 1
      end
      return 0
      """;

  /** KEYS: the members hashes of the rooms. ARGV: user, name. */
  static final String RENAME = """
      for _, key in ipairs(KEYS) do
        if redis.call('HEXISTS', key, ARGV[1]) == 1 then
          redis.call('HSET', key, ARGV[1], ARGV[2])
        end
      end
      return 0
      """;

  /** Removes one entry of a node; returns the user's name when it left the room thereby, else false. */
  private static final String REMOVE_ENTRY = """
      local function remove(ns, node, entry)
        local tab = string.find(entry, '\\t', 1, true)
        if not tab then return false end
        local room = string.sub(entry, 1, tab - 1)
        local user = string.sub(entry, tab + 1)
        local holders = ns .. 'holders:' .. room .. ':' .. user
        if redis.call('SREM', holders, node) == 1 and redis.call('SCARD', holders) == 0 then
          local members = ns .. 'presence:' .. room
          local name = redis.call('HGET', members, user)
          redis.call('HDEL', members, user)
          return {room, user, name or user}
        end
        return false
      end
      """;

  /**
   * KEYS: nodes. ARGV: namespace, own node id. Removes the entries of every other node whose
   * heartbeat is gone; returns room, user, name of each user that left a room thereby.
   */
  static final String REAP = REMOVE_ENTRY + """
      local ns, self = ARGV[1], ARGV[2]
      local left = {}
      for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        if node ~= self and redis.call('EXISTS', ns .. 'node:' .. node .. ':alive') == 0 then
          local rooms = ns .. 'node:' .. node .. ':rooms'
          for _, entry in ipairs(redis.call('SMEMBERS', rooms)) do
            local gone = remove(ns, node, entry)
            if gone then
              for _, v in ipairs(gone) do table.insert(left, v) end
            end
          end
          redis.call('DEL', rooms)
          redis.call('SREM', KEYS[1], node)
        end
      end
      return left
      """;

  /**
   * KEYS: alive, nodes, node rooms. ARGV: namespace, node id, TTL ms, then room, user, name of
   * every entry the node holds. Registers the node and makes its entries in Redis those; returns
   * {restored, departed}, each a list of room, user, name.
   */
  static final String RESYNC = REMOVE_ENTRY + """
      local ns, self = ARGV[1], ARGV[2]
      redis.call('SET', KEYS[1], '1', 'PX', ARGV[3])
      redis.call('SADD', KEYS[2], self)
      local held, restored, departed = {}, {}, {}
      for i = 4, #ARGV, 3 do
        local room, user, name = ARGV[i], ARGV[i + 1], ARGV[i + 2]
        local entry = room .. '\\t' .. user
        held[entry] = true
        local holders = ns .. 'holders:' .. room .. ':' .. user
        if redis.call('SCARD', holders) == 0 then
          table.insert(restored, room)
          table.insert(restored, user)
          table.insert(restored, name)
        end
        redis.call('SADD', holders, self)
        redis.call('HSET', ns .. 'presence:' .. room, user, name)
        redis.call('SADD', KEYS[3], entry)
      end
      for _, entry in ipairs(redis.call('SMEMBERS', KEYS[3])) do
        if not held[entry] then
          local gone = remove(ns, self, entry)
          if gone then
            for _, v in ipairs(gone) do table.insert(departed, v) end
          end
          redis.call('SREM', KEYS[3], entry)
        end
      end
      return {restored, departed}
      """;
}
