namespace AkkaRedis.Actors.Keyspace;

// Messages between the sessions, the shards and the Persistence actor (issue 12): RDB ones first, then AOF ones.
