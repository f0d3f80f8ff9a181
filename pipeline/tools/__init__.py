"""Tools around a run: evaluation against gold, the corpus check, explain, report and plots."""
