"""The clean stage: main text, title and publication date from HTML and plain-text scrapes."""
