"""One reader per transcript format; transcripts.parsing picks one and is the public entry."""
