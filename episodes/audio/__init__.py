"""Audio: reading what a file holds, MPEG frames, ID3 tags, tagging served files, serving them."""
