"""The read stage: find input files (local or remote) and decode them into Documents."""
