using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

public sealed partial class SessionStage
{
    private sealed partial class Logic
    {
        /// <summary>Batches a shard stopped at a script that must run again holding every shard (issue 13,
        /// Commands.Scripting.ScriptRun), in the order they came back.</summary>
        private List<ShardBatch>? _reruns;
        /// <summary>The batch whose stopped script is with the Transaction actor now.</summary>
        private ShardBatch? _rerunning;

        /// <summary>
        /// The script a shard stopped at goes to the Transaction actor holding every shard; the commands its shard had
        /// after it are sent again once it is answered, so on that shard nothing the client sent after the script runs
        /// before it. Commands of the same received batch on other shards may have run already: the first run of a
        /// script that reaches keys it did not declare loses the cross-shard pipeline order that declared keys keep;
        /// from then on the script is known and holds every shard from the start (Commands.Scripting
        /// .LearnedRouting), in Redis's order.
        /// </summary>
        private void SendRerun()
        {
            var first = 0;
            for (var i = 1; i < _reruns!.Count; i++)
                if (_reruns[i].Positions[_reruns[i].RerunAt] < _reruns[first].Positions[_reruns[first].RerunAt]) first = i;
            var batch = _reruns[first];
            _reruns.RemoveAt(first);
            _rerunning = batch;
            var index = batch.RerunAt;
            var db = _client.Db;
            _client.Db = batch.Db;
            var remember = _rememberCurrent;
            _rememberCurrent = false;
            SendTransaction(batch.Defs[index], batch.Commands[index], null, everyShard: true);
            _rememberCurrent = remember;
            _client.Db = db;
        }

        private int RerunPosition() => _rerunning!.Positions[_rerunning.RerunAt];

        /// <summary>The re-run script is answered: its shard gets the rest of its batch.</summary>
        private void RerunAnswered()
        {
            var batch = _rerunning!;
            _rerunning = null;
            batch.SegmentStart = batch.RerunAt + 1;
            batch.RerunAt = -1;
            if (batch.Pending == 0) return;
            _outstanding++;
            _shards[batch.ShardIndex].Tell(batch, _self);
        }
    }
}
