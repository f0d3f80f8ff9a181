"""The language stage: the main text's language, langdetect settled by script and spelling cues."""
