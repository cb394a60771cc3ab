// Reads a feed on stdin and prints everything one real parser understood, as JSON:
// `node whole.mjs partytime` (Podcast Index's podcast-partytime) or
// `node whole.mjs feedsmith` (feedsmith's RSS parser with its podcast namespace).
// Used by tests/episodes/feedreaders.py to read every podcast:* tag back.
import { readFileSync } from "node:fs";
import { parseFeed as partytime } from "podcast-partytime";
import { parseRssFeed } from "feedsmith";

const parsers = {
  partytime: (xml) => partytime(xml),
  feedsmith: (xml) => parseRssFeed(xml),
};
const parse = parsers[process.argv[2]];
if (!parse) {
  console.error(`usage: node whole.mjs ${Object.keys(parsers).join("|")}`);
  process.exit(2);
}
const feed = parse(readFileSync(0, "utf8"));
if (feed === null || feed === undefined) {
  console.error(`${process.argv[2]} could not parse the feed`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(feed, (key, value) => (value instanceof Date ? value.toISOString() : value)));
