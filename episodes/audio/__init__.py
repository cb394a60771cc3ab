"""Audio: reading what a file holds, MPEG frames, ID3 and MP4 tags, tagging served files."""
