"""The extract stage: rule files and NER turn a Document's text into Mentions."""
