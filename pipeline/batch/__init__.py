"""Running the stages over many inputs: plan, shard worker, executors, state, assembly, lock."""
